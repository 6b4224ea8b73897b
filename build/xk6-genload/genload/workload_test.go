package genload

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestWorkloadIsReadOncePerProcessAndAnswersPerIndex(t *testing.T) {
	t.Parallel()
	path := "/runs/once/workload.jsonl"
	file := `{"genload":"workload","version":1,"api":"reference","source":"trace","count":2,"phases":[{"name":"trace","from":0,"count":2}],"trace":true}
{"i":0,"class":"llm","stream":true,"inputTokens":128,"outputTokens":64,"atMs":0,"body":"{\"a\":1}"}
{"i":1,"class":"image","sizePx":64,"steps":8,"atMs":12.5,"seed":7,"body":"{}"}
`
	for vu := 0; vu < 3; vu++ {
		_, rt := initVU(t, map[string]string{path: file})
		got, err := rt.RunString(fmt.Sprintf(`const wl = genload.workload(%q);
			({count: wl.count, api: wl.header.api, phases: wl.header.phases.length, at0: wl.atMs(0), at1: wl.atMs(1),
			  c0: wl.classOf(0), c1: wl.classOf(1), same: wl === genload.workload('file://' + %q)})`, "runs/once/workload.jsonl", path))
		require.NoError(t, err)
		require.Equal(t, map[string]any{"count": int64(2), "api": "reference", "phases": int64(1), "at0": int64(0), "at1": 12.5,
			"c0": "llm", "c1": "image", "same": true}, got.Export())
		_, err = rt.RunString(`wl.atMs(2)`)
		require.ErrorContains(t, err, "workload.atMs: the index must be an integer in [0, 2), but is 2")
	}
	v, ok := stores.Load(path)
	require.True(t, ok)
	e := v.(*storeEntry)
	require.Equal(t, 1, e.reads, "the file is read once per process, whatever the number of VUs")
	require.Equal(t, `{"a":1}`, string(e.store.requests[0].body))
	require.Equal(t, opt{64, true}, e.store.requests[0].outputTokens)
}

func TestWorkloadRefusesTheRunPhaseAndMissingFiles(t *testing.T) {
	t.Parallel()
	tr, rt := initVU(t, nil)
	_, err := rt.RunString(`genload.workload('/runs/missing/workload.jsonl')`)
	require.ErrorContains(t, err, "genload.workload: reading /runs/missing/workload.jsonl failed; reason:")
	vu := toRunPhase(tr)
	_, err = vu.rt.RunString(`genload.workload('/runs/x/workload.jsonl')`)
	require.ErrorContains(t, err, "genload.workload must be called in the init context")
}

const goodHeader = `{"genload":"workload","version":1,"api":"openai-chat","source":"synthetic","count":2,"phases":[{"name":"measure","from":0,"count":2}]}`

func TestWorkloadValidationNamesEveryProblemWithItsLine(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		file string
		want []string
	}{
		{"header fields", `{"genload":"other","version":2,"api":"","source":"web","count":0,"phases":[{"name":"a","from":-1,"count":0},{"name":"a","from":0,"count":1}],"extra":1}` + "\n",
			[]string{`line 1: the header must be a JSON object {genload, version, api, source, count, phases, ...}, but json: unknown field "extra"`}},
		{"header values", `{"genload":"other","version":2,"api":"","source":"web","count":0,"phases":[{"name":"a","from":-1,"count":0},{"name":"a","from":0,"count":1}]}` + "\n",
			[]string{"line 1: genload: must be 'workload', but is 'other'", "line 1: version: must be 1, but is 2",
				"line 1: api: must name the target API, but is ''", "line 1: source: must be one of synthetic, dataset, trace, file, but is 'web'",
				"line 1: count: must be an integer ≥ 1, but is 0", "line 1: phases[0].from: must be an integer ≥ 0, but is -1",
				"line 1: phases[0].count: must be an integer ≥ 1, but is 0", "line 1: phases[1].name: must be unique, but 'a' is listed twice"}},
		{"count and phase bounds", strings.Replace(goodHeader, `"from":0,"count":2`, `"from":1,"count":2`, 1) + "\n" + `{"i":0,"class":"llm","stream":false,"body":"{}"}` + "\n",
			[]string{"line 1: count: the header says 2 requests, but the file has 1 request lines",
				"line 1: phases[0]: from + count must be at most the request count 2, but is 3"}},
		{"request lines", goodHeader + "\n" + `{"i":1,"class":"llm","outputTokens":0,"sizePx":3,"body":"{}"}` + "\n" + `{"i":1,"class":"image","steps":1.5,"atMs":-1}` + "\n",
			[]string{"line 2: i: must be 0 (the line number − 2), but is 1", "line 2: stream: must be true or false for an llm request, but is missing",
				"line 2: outputTokens: must be an integer ≥ 1, but is 0", "line 2: sizePx: only image requests have it",
				"line 3: body: must be the request body string, but is missing", "line 3: steps: must be an integer ≥ 1, but is 1.5",
				"line 3: sizePx: must be an integer ≥ 1, but is missing", "line 3: atMs: must be a number ≥ 0, but is -1"}},
		{"broken lines", goodHeader + "\n\n" + `{"i":1,"class":"video","body":"{}","colour":1}` + "\n",
			[]string{"line 2: must be a JSON request object, but is empty",
				`line 3: must be a JSON request object {i, class, body, ...}, but json: unknown field "colour"`}},
		{"a trace needs atMs", strings.Replace(goodHeader, `}]}`, `}],"trace":true}`, 1) + "\n" + `{"i":0,"class":"llm","stream":false,"body":"{}"}` + "\n" + `{"i":1,"class":"llm","stream":false,"atMs":3,"body":"{}"}` + "\n",
			[]string{"line 2: atMs: must be set in a trace workload (the header says trace: true), but is missing"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := parseWorkload("/w.jsonl", []byte(c.file))
			require.Error(t, err)
			for _, want := range c.want {
				require.ErrorContains(t, err, want)
			}
			require.Contains(t, err.Error(), fmt.Sprintf("(%d problem(s))", len(c.want)), err.Error())
		})
	}
}

func TestWorkloadValidationStopsListingAfterTwentyProblems(t *testing.T) {
	t.Parallel()
	lines := []string{strings.Replace(goodHeader, `"count":2,"phases":[{"name":"measure","from":0,"count":2}]`, `"count":30,"phases":[{"name":"measure","from":0,"count":30}]`, 1)}
	for i := 0; i < 30; i++ {
		lines = append(lines, fmt.Sprintf(`{"i":%d,"class":"llm","body":"{}"}`, i))
	}
	_, err := parseWorkload("/w.jsonl", []byte(strings.Join(lines, "\n")))
	require.ErrorContains(t, err, "(30 problem(s))")
	require.ErrorContains(t, err, "line 21: stream")
	require.NotContains(t, err.Error(), "line 22:")
	require.True(t, strings.HasSuffix(err.Error(), "; and 10 more"), err.Error())
}
