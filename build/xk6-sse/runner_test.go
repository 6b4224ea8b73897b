package sse

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/grafana/sobek"
	"github.com/stretchr/testify/require"

	"go.k6.io/k6/metrics"
)

type runnerGolden struct {
	Pool struct {
		Text   string `json:"text"`
		Starts []int  `json:"starts"`
	} `json:"pool"`
	Groups []struct {
		API      string `json:"api"`
		Workload struct {
			PromptSet      string    `json:"promptSet"`
			MaxTokens      float64   `json:"maxTokens"`
			MaxTokensDist  string    `json:"maxTokensDist"`
			MaxPromptChars float64   `json:"maxPromptChars"`
			Stream         bool      `json:"stream"`
			Sizes          []float64 `json:"sizes"`
			Steps          []float64 `json:"steps"`
		} `json:"workload"`
		Recipes map[string]struct {
			Literals []string `json:"literals"`
			Holes    []string `json:"holes"`
		} `json:"recipes"`
		Draws []struct {
			Seed       float64        `json:"seed"`
			PhaseIndex float64        `json:"phaseIndex"`
			RequestKey float64        `json:"requestKey"`
			LLMShare   float64        `json:"llmShare"`
			Work       map[string]any `json:"work"`
			Body       *string        `json:"body"`
		} `json:"draws"`
	} `json:"groups"`
	Escapes []struct {
		Text    string `json:"text"`
		Escaped string `json:"escaped"`
	} `json:"escapes"`
}

func readRunnerGolden(t *testing.T) runnerGolden {
	t.Helper()
	raw, err := os.ReadFile("testdata/runner.golden.json")
	require.NoError(t, err)
	var g runnerGolden
	require.NoError(t, json.Unmarshal(raw, &g))
	require.Len(t, g.Pool.Starts, 4097)
	return g
}

func workAsMap(w workItem) map[string]any {
	if w.llm {
		return map[string]any{"class": "llm", "prompt": w.prompt, "promptWords": w.promptWords, "maxTokens": w.maxTokens, "stream": w.stream, "seed": w.seed}
	}
	return map[string]any{"class": "image", "prompt": w.prompt, "sizePx": w.sizePx, "steps": w.steps, "seed": w.seed}
}

// The golden file holds what lib/shared's sampling and the targets' bodies
// give (lib/k6/run/native.test.ts checks that); the runner must sample the
// same work items and fill the same bodies, byte for byte.
func TestRunnerSamplesAndFillsLikeTheScript(t *testing.T) {
	t.Parallel()
	g := readRunnerGolden(t)
	rt := sobek.New()
	pool := promptPool{text: g.Pool.Text, starts: g.Pool.Starts}
	draws, bodies := 0, 0
	for _, group := range g.Groups {
		w := workloadSpec{promptSet: group.Workload.PromptSet, maxTokens: group.Workload.MaxTokens, maxTokensDist: group.Workload.MaxTokensDist,
			maxPromptChars: group.Workload.MaxPromptChars, stream: group.Workload.Stream, sizes: group.Workload.Sizes, steps: group.Workload.Steps}
		templates := map[string]bodyTemplate{}
		for cls, r := range group.Recipes {
			tmpl, err := newBodyTemplate(r.Literals, r.Holes)
			require.NoError(t, err)
			templates[cls] = tmpl
		}
		for _, d := range group.Draws {
			name := fmt.Sprintf("%s seed %v phase %v key %v share %v", group.API, d.Seed, d.PhaseIndex, d.RequestKey, d.LLMShare)
			u := uniform{a: mixSeed(d.Seed, d.PhaseIndex, d.RequestKey)}
			work := w.sampleWork(&u, &pool, u.next() < d.LLMShare)
			require.Equal(t, d.Work, workAsMap(work), name)
			tmpl, ok := templates[d.Work["class"].(string)]
			if !ok {
				require.Nil(t, d.Body, name)
				continue
			}
			require.NotNil(t, d.Body, name)
			require.Equal(t, *d.Body, string(tmpl.fill(rt, &work, false)), name)
			require.True(t, plainJSON(work.prompt), name)
			require.Equal(t, *d.Body, string(tmpl.fill(rt, &work, true)), name)
			draws, bodies = draws+1, bodies+1
		}
	}
	require.Greater(t, bodies, 60)
	require.True(t, plainJSON(g.Pool.Text))
	require.True(t, plainJSON("plain words"))
	require.False(t, plainJSON(`say "x"`))
	for _, e := range g.Escapes {
		require.Equal(t, e.Escaped, string(appendJSONEscaped(nil, e.Text)), e.Text)
		if plainJSON(e.Text) { // conservative: plain text is left as is (non-ASCII text is escaped the slow way)
			require.Equal(t, e.Text, e.Escaped)
		}
	}
}

func TestBodyTemplateNumbersAndProblems(t *testing.T) {
	t.Parallel()
	rt := sobek.New()
	tmpl, err := newBodyTemplate([]string{`{"n":`, `,"s":`, `,"p":"`, `"}`}, []string{"maxTokens", "sizePx", "prompt"})
	require.NoError(t, err)
	w := workItem{maxTokens: 1.5, sizePx: 1e21, prompt: "a\u2028b"}
	require.Equal(t, `{"n":1.5,"s":1e+21,"p":"a`+"\u2028"+`b"}`, string(tmpl.fill(rt, &w, false)))
	_, err = newBodyTemplate([]string{"a"}, []string{"prompt"})
	require.ErrorContains(t, err, "one literal more than holes, but has 1 literals and 1 holes")
	_, err = newBodyTemplate([]string{"a", "b"}, []string{"colour"})
	require.ErrorContains(t, err, "hole 0 must be prompt, maxTokens, seed, sizePx or steps, but is 'colour'")
}

// newRunnerVU is a run-phase VU whose init context created genload's metrics
// and `runner = genload.runner(...)` with one llm recipe posting to url.
func newRunnerVU(t *testing.T, url string) testVU {
	t.Helper()
	g := readRunnerGolden(t)
	tr, rt := initGenloadWithMetrics(t)
	require.NoError(t, rt.Set("pool", map[string]any{"text": g.Pool.Text, "starts": g.Pool.Starts}))
	_, err := rt.RunString(fmt.Sprintf(`var runner = genload.runner({seed: 3, pool,
		workload: {promptSet: 'mixed', maxTokens: 64, maxTokensDist: 'fixed', maxPromptChars: 0, stream: false, sizes: [64], steps: [8]},
		recipes: {llm: {method: 'POST', url: %q, headers: {'content-type': 'application/json', authorization: 'Bearer k'}, timeoutMs: 5000,
			answer: 'openai-completion', literals: ['{"messages":[{"role":"user","content":"', '"}],"max_tokens":', ',"seed":', '}'],
			holes: ['prompt', 'maxTokens', 'seed']}},
		perRequest: {llm: {e2eMs: 60000}}, metrics: {...names, counted: []}})`, url))
	require.NoError(t, err)
	return newGenloadVUFrom(tr, tr.VU.InitEnvField.Registry)
}

// drain splits what a VU pushed into the k6 http_req_* samples and genload's.
func (v testVU) drain() (httpSamples, genloadSamples []metrics.Sample) {
	for len(v.samples) > 0 {
		for _, s := range (<-v.samples).GetSamples() {
			if strings.HasPrefix(s.Metric.Name, "genload_") {
				genloadSamples = append(genloadSamples, s)
			} else {
				httpSamples = append(httpSamples, s)
			}
		}
	}
	return httpSamples, genloadSamples
}

func TestRunnerSendsAndRecordsACompletionInGo(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.Header.Get("Authorization")+" "+string(body))
		mu.Unlock()
		w.Header().Set("Server-Timing", "queue;dur=1, total;dur=2")
		_, _ = w.Write([]byte(`{"choices":[{"message":{"content":"x"}}],"usage":{"prompt_tokens":9,"completion_tokens":3}}`))
	}))
	t.Cleanup(srv.Close)
	vu := newRunnerVU(t, srv.URL+"/v1/chat/completions")
	v, err := vu.rt.RunString(`runner.next(0, 5, 1, 'warmup')`)
	require.NoError(t, err)
	require.True(t, sobek.IsUndefined(v), "done in Go")
	want, err := vu.rt.RunString(`runner.body(runner.work(0, 5, 1))`)
	require.NoError(t, err)
	require.Equal(t, []string{"Bearer k " + want.String()}, got)

	httpSamples, samples := vu.drain()
	require.NotEmpty(t, httpSamples)
	require.Equal(t, map[string]string{"scenario": "s1", "stage": "warmup", "class": "llm", "method": "POST", "status": "200",
		"url": srv.URL + "/v1/chat/completions", "name": srv.URL + "/v1/chat/completions"}, httpSamples[0].Tags.Map())
	var names []string
	for _, s := range samples {
		names = append(names, s.Metric.Name)
		require.Equal(t, map[string]string{"scenario": "s1", "stage": "warmup", "class": "llm"}, s.Tags.Map())
	}
	require.Equal(t, []string{"genload_requests", "genload_error_rate", "genload_goodput_ratio", "genload_good_requests", "genload_e2e_ms",
		"genload_output_tokens", "genload_output_tokens_per_s", "genload_prompt_tokens", "genload_server_queue_ms",
		"genload_server_inference_ms", "genload_server_total_ms", "genload_client_overhead_ms"}, names)
	require.Equal(t, 3.0, samples[5].Value)
	require.Equal(t, 9.0, samples[7].Value)
	require.Equal(t, 1.0, samples[9].Value, "inference = total - queue")
}

func TestRunnerHandsOverWhatItCannotFinish(t *testing.T) {
	t.Parallel()
	status, answer := http.StatusServiceUnavailable, `busy`
	var mu sync.Mutex
	requests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests++
		s, a := status, answer
		mu.Unlock()
		w.WriteHeader(s)
		_, _ = w.Write([]byte(a))
	}))
	t.Cleanup(srv.Close)
	vu := newRunnerVU(t, srv.URL)

	got := vu.run(t, `runner.next(0, 1, 1, 'measure')`)
	reply := got["reply"].(map[string]any)
	require.Equal(t, int64(503), reply["status"])
	require.Equal(t, "busy", reply["body"])
	require.Nil(t, reply["completion"], "scan not accepted")
	require.Equal(t, "llm", got["work"].(map[string]any)["class"])
	_, samples := vu.drain()
	require.Empty(t, samples, "the script records a hand-over")

	mu.Lock()
	status, answer = http.StatusOK, `{"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2},"timings":{}}`
	mu.Unlock()
	got = vu.run(t, `runner.next(0, 2, 1, 'measure')`)
	require.Equal(t, int64(200), got["reply"].(map[string]any)["status"], "an answer the scan does not read goes to the target's JSON path")

	got = vu.run(t, `runner.next(0, 3, 0, 'measure')`)
	require.NotContains(t, got, "reply", "no image recipe: the script sends it")
	require.Equal(t, map[string]any{"class": "image", "prompt": got["work"].(map[string]any)["prompt"], "sizePx": int64(64), "steps": int64(8), "seed": got["work"].(map[string]any)["seed"]}, got["work"])
	mu.Lock()
	require.Equal(t, 2, requests)
	mu.Unlock()
}

func TestRunnerNamesEveryProblemAndRefusesTheWrongContext(t *testing.T) {
	t.Parallel()
	_, rt := initGenload(t)
	_, err := rt.RunString(`genload.runner({pool: {text: 'a'}, workload: {promptSet: 'short'},
		recipes: {llm: {method: 'POST', url: '::nope', answer: 'tgi', literals: [], holes: []}, image: {}}, perRequest: {}, metrics: {trend: {}, counter: {}, rate: {}, tag: {}}})`)
	for _, want := range []string{"seed: must be set, but is missing", "pool.starts: must be set, but is missing", "recipes.image.method: must be set, but is missing", "workload.maxTokens: must be set, but is missing",
		"recipes.llm.answer: must be 'openai-completion', but is 'tgi'", "recipes.llm.url:", "one literal more than holes",
		"metrics: counter.requests: must name a metric, but is missing"} {
		require.ErrorContains(t, err, want)
	}
	_, err = rt.RunString(`genload.runner()`)
	require.ErrorContains(t, err, "must be {seed, pool, workload, recipes, perRequest, metrics}, but is missing")

	vu := newRunnerVU(t, "http://127.0.0.1:1")
	_, err = vu.rt.RunString(`genload.runner({})`)
	require.ErrorContains(t, err, "init context")
}
