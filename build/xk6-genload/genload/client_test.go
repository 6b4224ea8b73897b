package genload

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"go.k6.io/k6/metrics"
)

// clientVU is a run-phase VU whose init context opened a workload file of
// the given request lines and made `client` with the given routes (JS text,
// where URL is the server's address).
func clientVU(t *testing.T, url string, lines []string, routes string) testVU {
	t.Helper()
	path := fmt.Sprintf("/runs/%s/workload.jsonl", strings.ReplaceAll(t.Name(), "/", "_"))
	tr, rt := initVU(t, map[string]string{path: workloadFile("reference", lines...)})
	_, err := rt.RunString(fmt.Sprintf(`const URL = %q;
		const wl = genload.workload(%q);
		var client = genload.client({workload: wl, api: 'reference', routes: %s, perRequest: {}, metrics: names});`, url, path, routes))
	require.NoError(t, err)
	return toRunPhase(tr)
}

// send runs client.send(index, 'measure') and returns its answer (nil for undefined).
func (v testVU) send(t *testing.T, index int) map[string]any {
	t.Helper()
	got, err := v.rt.RunString(fmt.Sprintf(`client.send(%d, 'measure')`, index))
	require.NoError(t, err)
	if got == nil || got.Export() == nil {
		return nil
	}
	return got.Export().(map[string]any)
}

// genloadSamples drains the samples: genload's ones described as in
// describeSamples, k6's own by metric name.
func (v testVU) genloadSamples() ([]string, map[string][]metrics.Sample) {
	var genload []metrics.Sample
	builtin := map[string][]metrics.Sample{}
	for name, list := range v.sampleValues() {
		if strings.HasPrefix(name, "genload_") {
			genload = append(genload, list...)
		} else {
			builtin[name] = list
		}
	}
	return describeSamples(genload), builtin
}

func answerWith(status int, header, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		if header != "" {
			w.Header().Set("Server-Timing", header)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

const llmLine = `{"i":0,"class":"llm","stream":false,"inputTokens":4,"outputTokens":8,"body":"{\"messages\":[]}"}`
const imageLine = `{"i":0,"class":"image","sizePx":64,"steps":8,"body":"{\"prompt\":\"p\"}"}`

func routeJS(key, answer string, timeoutMs int) string {
	return fmt.Sprintf(`{%q: {method: 'POST', url: URL + '/v1', headers: {'content-type': 'application/json'}, timeoutMs: %d, answer: %q}}`, key, timeoutMs, answer)
}

// Non-streamed answers: each kind's rules, statuses,
// malformed answers, Server-Timing and the body's timings object.
func TestClientSendsNonStreamedRequestsAndReadsEachAnswerKind(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, answer, line string
		handler            http.HandlerFunc
		failure            map[string]any // nil: success
		has, hasNot        []string
	}{
		{"openai usage", "openai", llmLine, answerWith(200, "queue;dur=1, total;dur=2", `{"choices":[{"message":{}}],"usage":{"prompt_tokens":5,"completion_tokens":6}}`), nil,
			[]string{"genload_output_tokens=6", "genload_prompt_tokens=5", "genload_server_queue_ms=1", "genload_server_total_ms=2",
				"genload_output_token_error_ratio=-0.25", "genload_output_short=1", "genload_input_token_error_ratio=0.25"}, nil},
		{"openai without usage", "openai", llmLine, answerWith(200, "", `{"choices":[]}`), nil,
			[]string{"genload_output_tokens=0", "genload_output_token_error_ratio=-1"}, []string{"genload_prompt_tokens"}},
		{"openai body timings win over the header", "openai", llmLine, answerWith(200, "total;dur=2", `{"choices":[],"timings":{"total_ms":7,"other_ms":1,"queue_ms":"x"}}`), nil,
			[]string{"genload_server_total_ms=7"}, []string{"genload_server_queue_ms"}},
		{"openai without choices", "openai", llmLine, answerWith(200, "", `{"usage":{}}`),
			map[string]any{"class": "llm", "errorClass": "protocol", "error": "answer has no choices array"}, []string{"genload_errors{error_class=protocol}=1"}, []string{"genload_e2e_ms"}},
		{"openai not JSON", "openai", llmLine, answerWith(200, "", `choices`),
			map[string]any{"class": "llm", "errorClass": "protocol", "error": "answer has no choices array"}, nil, nil},
		{"503 is shed", "openai", llmLine, answerWith(503, "", `model overloaded`),
			map[string]any{"class": "llm", "errorClass": "shed", "error": "status 503: model overloaded"}, []string{"genload_errors{error_class=shed}=1", "genload_error_rate=1"}, nil},
		{"429 is shed", "openai", llmLine, answerWith(429, "", `slow down`), map[string]any{"class": "llm", "errorClass": "shed", "error": "status 429: slow down"}, nil, nil},
		{"404", "openai", llmLine, answerWith(404, "", `no`), map[string]any{"class": "llm", "errorClass": "4xx", "error": "status 404: no"}, nil, nil},
		{"500", "openai", llmLine, answerWith(500, "", `{"choices":[]}`), map[string]any{"class": "llm", "errorClass": "5xx", "error": `status 500: {"choices":[]}`}, nil, nil},
		{"tgi with details", "tgi", llmLine, answerWith(200, "", `{"generated_text":"hi","details":{"generated_tokens":8}}`), nil,
			[]string{"genload_output_tokens=8", "genload_output_token_error_ratio=0", "genload_output_short=0"}, nil},
		{"tgi without details", "tgi", llmLine, answerWith(200, "", `{"generated_text":"hi"}`), nil, nil, []string{"genload_output_tokens", "genload_output_short"}},
		{"tgi without generated_text", "tgi", llmLine, answerWith(200, "", `{"generated_text":null}`),
			map[string]any{"class": "llm", "errorClass": "protocol", "error": "answer has no generated_text"}, nil, nil},
		{"kserve-v2 image", "kserve-v2", imageLine, answerWith(200, "", `{"outputs":[]}`), nil, []string{"genload_images=1"}, nil},
		{"kserve-v2 without outputs", "kserve-v2", llmLine, answerWith(200, "", `{"outputs":{}}`),
			map[string]any{"class": "llm", "errorClass": "protocol", "error": "answer has no outputs array"}, nil, nil},
		{"openai-images", "openai-images", imageLine, answerWith(200, "", `{"data":[{"b64_json":"x"},{"b64_json":"y"}]}`), nil, []string{"genload_images=2"}, []string{"genload_step_ms"}},
		{"openai-images-steps", "openai-images-steps", imageLine, answerWith(200, "step;dur=3", `{"data":[{}]}`), nil, []string{"genload_images=1", "genload_step_ms=3"}, nil},
		{"openai-images without data", "openai-images", imageLine, answerWith(200, "", `[]`),
			map[string]any{"class": "image", "errorClass": "protocol", "error": "answer has no data array"}, nil, nil},
		{"generic-json takes any 2xx", "generic-json", llmLine, answerWith(204, "", ``), nil, []string{"genload_e2e_ms=*"}, []string{"genload_output_tokens"}},
		{"generic-json image", "generic-json", imageLine, answerWith(200, "", `not json`), nil, []string{"genload_images=1"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var gotBody, gotType, gotUA string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				gotBody, gotType, gotUA = string(b), r.Header.Get("Content-Type"), r.Header.Get("User-Agent")
				r.Body = io.NopCloser(strings.NewReader(""))
				c.handler(w, r)
			}))
			t.Cleanup(srv.Close)
			key := "llm"
			if strings.Contains(c.line, `"image"`) {
				key = "image"
			}
			vu := clientVU(t, srv.URL, []string{c.line}, routeJS(key, c.answer, 5000))
			require.Equal(t, c.failure, vu.send(t, 0))
			require.Contains(t, c.line, strings.ReplaceAll(gotBody, `"`, `\"`), "the line's body bytes are sent")
			require.Equal(t, "application/json", gotType)
			require.Equal(t, "genload-test", gotUA)
			got, builtin := vu.genloadSamples()
			for _, want := range c.has {
				if strings.HasSuffix(want, "=*") {
					require.True(t, hasPrefix(got, strings.TrimSuffix(want, "*")), "%s in %v", want, got)
					continue
				}
				require.Contains(t, got, want)
			}
			for _, absent := range c.hasNot {
				require.False(t, hasPrefix(got, absent), "%s must not be in %v", absent, got)
			}
			dur := builtin["http_req_duration"]
			require.Len(t, dur, 1, "k6's built-in metrics, once")
			require.Equal(t, map[string]string{"scenario": "s1", "stage": "measure", "class": key, "method": "POST",
				"status": dur[0].Tags.Map()["status"], "url": srv.URL + "/v1", "name": srv.URL + "/v1"}, dur[0].Tags.Map())
		})
	}
}

func hasPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

func TestClientTransportFailures(t *testing.T) {
	t.Parallel()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(slow.Close)
	refused := httptest.NewServer(http.NotFoundHandler())
	refusedURL := refused.URL
	refused.Close()
	for _, c := range []struct {
		name, url, answer, class string
		line                     string
	}{
		{"timeout", slow.URL, "openai", "timeout", llmLine},
		{"refused", refusedURL, "openai", "connection", llmLine},
		{"stream timeout", slow.URL, "openai-stream", "timeout", strings.Replace(llmLine, `"stream":false`, `"stream":true`, 1)},
		{"stream refused", refusedURL, "openai-stream", "connection", strings.Replace(llmLine, `"stream":false`, `"stream":true`, 1)},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			key := "llm"
			if strings.Contains(c.answer, "stream") {
				key = "llm-stream"
			}
			vu := clientVU(t, c.url, []string{c.line}, routeJS(key, c.answer, 100))
			got := vu.send(t, 0)
			require.Equal(t, c.class, got["errorClass"], got)
			samples, _ := vu.genloadSamples()
			require.Contains(t, samples, "genload_errors{error_class="+c.class+"}=1")
		})
	}
}

// TestClientRecordsTheStartLagItIsGiven: client.send(index, stage, lagMs) records
// the lag under the stage tag only (no class: it is the load generator's figure)
// in the same Go call; without the argument there is no lag sample.
func TestClientRecordsTheStartLagItIsGiven(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(answerWith(200, "", `{"choices":[],"usage":{"prompt_tokens":4,"completion_tokens":8}}`))
	defer srv.Close()
	vu := clientVU(t, srv.URL, []string{llmLine}, routeJS("llm", "openai", 5000))
	_, err := vu.rt.RunString(`client.send(0, 'step-02', 12.5)`)
	require.NoError(t, err)
	lags := vu.sampleValues()["genload_start_lag_ms"]
	require.Len(t, lags, 1)
	require.Equal(t, 12.5, lags[0].Value)
	tags := lags[0].Tags.Map()
	require.Equal(t, "step-02", tags["stage"])
	_, hasClass := tags["class"]
	require.False(t, hasClass, "the start lag carries no class")
	vu.send(t, 0)
	require.Empty(t, vu.sampleValues()["genload_start_lag_ms"], "no lag given, none recorded")
}
