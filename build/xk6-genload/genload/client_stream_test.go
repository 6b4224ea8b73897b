package genload

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const streamLine = `{"i":0,"class":"llm","stream":true,"inputTokens":7,"outputTokens":4,"body":"{\"stream\":true}"}`

// sseServer sends each event's data as one SSE event, gap apart, flushing
// each; it fails the request unless it asked for an event stream.
func sseServer(t *testing.T, header string, gap time.Duration, events ...string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get("Accept") != "text/event-stream" || string(body) != `{"stream":true}` || r.Header.Get("User-Agent") != "genload-test" {
			http.Error(w, "unexpected request", http.StatusBadRequest)
			return
		}
		if header != "" {
			w.Header().Set("Server-Timing", header)
		}
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		for _, data := range events {
			time.Sleep(gap)
			_, _ = fmt.Fprintf(w, "data: %s\n\n", data)
			w.(http.Flusher).Flush()
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func chatChunk(content string) string {
	return fmt.Sprintf(`{"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":%q}}]}`, content)
}

// valueOf is the value of the only sample of a metric in a described list.
func valueOf(t *testing.T, samples []string, metric string) float64 {
	t.Helper()
	var found []float64
	for _, s := range samples {
		if strings.HasPrefix(s, metric+"=") {
			v, err := strconv.ParseFloat(strings.TrimPrefix(s, metric+"="), 64)
			require.NoError(t, err)
			found = append(found, v)
		}
	}
	require.Len(t, found, 1, "%s in %v", metric, samples)
	return found[0]
}

func count(samples []string, metric string) int {
	n := 0
	for _, s := range samples {
		if strings.HasPrefix(s, metric+"=") {
			n++
		}
	}
	return n
}

func TestClientReadsAnOpenAIStream(t *testing.T) {
	t.Parallel()
	srv := sseServer(t, "queue;dur=1", 30*time.Millisecond,
		`{"choices":[{"delta":{"role":"assistant"}}]}`, chatChunk("a"), chatChunk(""), chatChunk("b"), chatChunk("c"),
		`{"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":3}}`, `{"timings":{"queue_ms":2,"total_ms":150}}`, `[DONE]`)
	vu := clientVU(t, srv.URL, []string{streamLine}, routeJS("llm-stream", "openai-stream", 5000))
	require.Nil(t, vu.send(t, 0))
	got, builtin := vu.genloadSamples()
	require.Empty(t, builtin["http_req_duration"], "streams emit no http_req_* samples")
	ttft := valueOf(t, got, "genload_ttft_ms")
	require.Greater(t, ttft, 55.0, "the first event carrying text is the second one")
	require.Equal(t, 2, count(got, "genload_itl_ms"), "gaps between the three text events")
	for _, s := range got {
		if strings.HasPrefix(s, "genload_itl_ms=") {
			gap, _ := strconv.ParseFloat(strings.TrimPrefix(s, "genload_itl_ms="), 64)
			require.Greater(t, gap, 25.0, "the empty chunk carries no token")
		}
	}
	require.Contains(t, got, "genload_output_tokens=3", "the server's usage")
	require.Contains(t, got, "genload_prompt_tokens=7")
	require.Contains(t, got, "genload_server_queue_ms=2", "the timing event wins over the header")
	require.Contains(t, got, "genload_server_total_ms=150")
	require.Contains(t, got, "genload_output_token_error_ratio=-0.25")
	require.Contains(t, got, "genload_input_token_error_ratio=0")
	e2e := valueOf(t, got, "genload_e2e_ms")
	require.Greater(t, e2e, 8*30.0)
	require.InDelta(t, (e2e-ttft)/2, valueOf(t, got, "genload_tpot_ms"), 1e-9)
}

func TestClientStreamRules(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, answer string
		events       []string
		failure      map[string]any
		has          []string
	}{
		{"counted pieces without usage", "openai-stream", []string{chatChunk("a"), `{"choices":[{"text":"b"}]}`, `[DONE]`}, nil,
			[]string{"genload_output_tokens=2", "genload_output_short=1"}},
		{"no [DONE]", "openai-stream", []string{chatChunk("a"), chatChunk("b"), chatChunk("c")},
			map[string]any{"class": "llm", "errorClass": "protocol", "error": "stream ended without its final event after 3 tokens"}, nil},
		{"an error event", "openai-stream", []string{chatChunk("a"), `{"error":{"message":"overloaded"}}`, `{"error":{"code":1}}`, `[DONE]`},
			map[string]any{"class": "llm", "errorClass": "protocol", "error": "overloaded"}, []string{"genload_errors{error_class=protocol}=1"}},
		{"an error object without message", "openai-stream", []string{`{"error": {"code": 1}}`, `[DONE]`},
			map[string]any{"class": "llm", "errorClass": "protocol", "error": `{"code":1}`}, nil},
		{"an event that is not JSON", "openai-stream", []string{chatChunk("a"), `  oops  `, `[DONE]`},
			map[string]any{"class": "llm", "errorClass": "protocol", "error": "stream event is not JSON: oops"}, nil},
		{"keys are case-sensitive and the last one wins", "openai-stream",
			[]string{`{"Choices":[{"delta":{"content":"x"}}],"choices":[{"delta":{"content":"a"}}],"choices":[]}`, chatChunk("b"), `[DONE]`}, nil,
			[]string{"genload_output_tokens=1"}},
		{"tgi-stream", "tgi-stream", []string{`{"token":{"id":1,"text":"a","special":false}}`, `{"token":{"id":2,"text":"</s>","special":true}}`,
			`{"token":{"id":3,"text":"b"},"generated_text":"ab","details":{"generated_tokens":4}}`}, nil,
			[]string{"genload_output_tokens=4", "genload_output_short=0", "genload_itl_ms=*"}},
		{"tgi-stream without its final event", "tgi-stream", []string{`{"token":{"id":1,"text":"a","special":false}}`},
			map[string]any{"class": "llm", "errorClass": "protocol", "error": "stream ended without its final event after 1 tokens"}, nil},
		{"tgi-stream error", "tgi-stream", []string{`{"error":"bad input"}`, `{"generated_text":""}`},
			map[string]any{"class": "llm", "errorClass": "protocol", "error": "bad input"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv := sseServer(t, "", time.Millisecond, c.events...)
			vu := clientVU(t, srv.URL, []string{streamLine}, routeJS("llm-stream", c.answer, 5000))
			require.Equal(t, c.failure, vu.send(t, 0))
			got, _ := vu.genloadSamples()
			for _, want := range c.has {
				if strings.HasSuffix(want, "=*") {
					require.True(t, hasPrefix(got, strings.TrimSuffix(want, "*")), "%s in %v", want, got)
					continue
				}
				require.Contains(t, got, want)
			}
		})
	}
}

func TestClientStreamErrorStatus(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "busy", http.StatusServiceUnavailable)
	}))
	t.Cleanup(srv.Close)
	vu := clientVU(t, srv.URL, []string{streamLine}, routeJS("llm-stream", "openai-stream", 5000))
	require.Equal(t, map[string]any{"class": "llm", "errorClass": "shed", "error": "status 503: server answered 503 Service Unavailable: busy"}, vu.send(t, 0))
}

func TestClientStreamCutShort(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = fmt.Fprintf(w, "data: %s\n\ndata: %s\n\n", chatChunk("a"), chatChunk("b"))
		w.(http.Flusher).Flush()
		conn, _, _ := w.(http.Hijacker).Hijack()
		_ = conn.Close() // the connection drops without the chunked body's end
	}))
	t.Cleanup(srv.Close)
	vu := clientVU(t, srv.URL, []string{streamLine}, routeJS("llm-stream", "openai-stream", 5000))
	got := vu.send(t, 0)
	require.Equal(t, "protocol", got["errorClass"], got)
	require.Equal(t, "stream ended without its final event after 2 tokens", got["error"])
}

func TestClientOneITLSamplePerRequest(t *testing.T) {
	t.Parallel()
	srv := sseServer(t, "", 5*time.Millisecond, chatChunk("a"), chatChunk("b"), chatChunk("c"), `[DONE]`)
	path := fmt.Sprintf("%s/itl.jsonl", t.TempDir())
	tr, rt := initVU(t, map[string]string{"/itl-request/w.jsonl": workloadFile("reference", streamLine)})
	_, err := rt.RunString(fmt.Sprintf(`var client = genload.client({workload: genload.workload('/itl-request/w.jsonl'), routes: %s,
		metrics: names, itlSamples: 'request', itlFile: %q})`, strings.ReplaceAll(routeJS("llm-stream", "openai-stream", 5000), "URL", strconv.Quote(srv.URL)), path))
	require.NoError(t, err)
	vu := toRunPhase(tr)
	require.Nil(t, vu.send(t, 0))
	got, _ := vu.genloadSamples()
	require.Equal(t, 1, count(got, "genload_itl_ms"))
	w, _ := gapWriters.Load(path)
	require.NoError(t, w.(*gapWriter).flush(false))
	raw, err := io.ReadAll(mustOpen(t, path))
	require.NoError(t, err)
	require.Regexp(t, `^\{"i":0,"stage":"measure","gaps":\[\d+(\.\d{1,3})?,\d+(\.\d{1,3})?\]\}\n$`, string(raw))
}
