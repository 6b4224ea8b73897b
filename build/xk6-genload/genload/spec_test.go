package genload

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestClientSpecNamesEveryProblem(t *testing.T) {
	t.Parallel()
	lines := []string{llmLine, `{"i":1,"class":"llm","stream":true,"body":"{}"}`, `{"i":2,"class":"image","sizePx":8,"steps":2,"body":"{}"}`}
	_, rt := initVU(t, map[string]string{"/spec/w.jsonl": workloadFile("reference", lines...)})
	_, err := rt.RunString(`genload.client({workload: genload.workload('/spec/w.jsonl'), api: 'tgi', colour: 1,
		routes: {llm: {method: 'POST', url: 'ftp://x', timeoutMs: -1, answer: 'openai-stream'}, video: {}},
		perRequest: {llm: {ttftMs: 'soon', p99: 1}}, metrics: names, itlSamples: 'event', itlFile: '/tmp/x'})`)
	require.Error(t, err)
	for _, want := range []string{
		"spec.colour: is not a known key; valid keys are workload, api, routes, job, perRequest, metrics, itlSamples, itlFile",
		"api: the workload file /spec/w.jsonl was built for api 'reference', but this run's api is 'tgi'",
		"routes.video: is not a known key; valid keys are llm, llm-stream, image",
		"routes.llm.url: must be an http(s) URL, but is 'ftp://x'",
		"routes.llm.timeoutMs: must be a number > 0, but is -1",
		"routes.llm.answer: must be a non-streamed kind, but is 'openai-stream'",
		"routes.llm-stream: must be set, because the workload has 1 streamed llm request(s)",
		"routes.image: must be set, because the workload has 1 image request(s)",
		"perRequest.llm.p99: is not a known key",
		"perRequest.llm.ttftMs: must be a number > 0, but is soon",
		"itlSamples: must be one of token, request, but is 'event'",
		"itlFile: is written only with itlSamples: 'request', but itlSamples is 'event'",
	} {
		require.ErrorContains(t, err, want)
	}
	_, err = rt.RunString(`genload.client({workload: {}, routes: {image: {method: 'POST', url: 'http://x', timeoutMs: 1, answer: 'tgi'}}, metrics: names})`)
	require.ErrorContains(t, err, "workload: must be what genload.workload(path) returned")
	require.ErrorContains(t, err, "routes.image.answer: 'tgi' cannot read image answers")
	_, err = rt.RunString(`genload.client({workload: genload.workload('/spec/w.jsonl'), routes: {image: {method: 'POST', url: 'http://x', timeoutMs: 1, answer: 'nope'}}, metrics: names})`)
	require.ErrorContains(t, err, "routes.image.answer: must be one of generic-json, kserve-v2, openai, openai-images, openai-images-steps, openai-stream, tgi, tgi-stream, but is 'nope'")
	_, err = rt.RunString(`genload.client({workload: genload.workload('/spec/w.jsonl'), routes: {}, metrics: {}})`)
	require.ErrorContains(t, err, "metrics: trend: must be a table of names, but is missing")
}

func TestClientWorksOnlyWhereK6AllowsIt(t *testing.T) {
	t.Parallel()
	tr, rt := initVU(t, map[string]string{"/context/w.jsonl": workloadFile("reference", llmLine)})
	_, err := rt.RunString(`var client = genload.client({workload: genload.workload('/context/w.jsonl'),
		routes: {llm: {method: 'POST', url: 'http://127.0.0.1:1', timeoutMs: 100, answer: 'openai'}}, metrics: names});
		client.send(0, 'measure')`)
	require.ErrorContains(t, err, "client.send cannot be called in the init context")
	vu := toRunPhase(tr)
	_, err = vu.rt.RunString(`genload.client({})`)
	require.ErrorContains(t, err, "genload.client must be called in the init context")
	_, err = vu.rt.RunString(`client.send(1, 'measure')`)
	require.ErrorContains(t, err, "client.send: the index must be an integer in [0, 1), but is 1")
}
