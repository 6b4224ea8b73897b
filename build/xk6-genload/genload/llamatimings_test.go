package genload

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// llama.cpp's server (b11312) as its README documents the answers: the last
// streamed chunk carries finish_reason, `timings` and (with
// stream_options.include_usage) usage with prompt_tokens_details.
const llamaFinal = `{"choices":[{"finish_reason":"length","index":0,"delta":{}}],"created":1,"model":"m","object":"chat.completion.chunk",` +
	`"usage":{"completion_tokens":3,"prompt_tokens":40,"total_tokens":43,"prompt_tokens_details":{"cached_tokens":32}},` +
	`"timings":{"cache_n":32,"prompt_n":8,"prompt_ms":12.5,"prompt_per_token_ms":1.5625,"prompt_per_second":640,` +
	`"predicted_n":3,"predicted_ms":60.25,"predicted_per_token_ms":20.08,"predicted_per_second":49.8}}`

func TestClientReadsLlamaCppTimingsFromTheLastChunk(t *testing.T) {
	t.Parallel()
	srv := sseServer(t, "", 30*time.Millisecond,
		`{"choices":[{"delta":{"role":"assistant","content":null}}]}`, chatChunk("a"), chatChunk("b"), chatChunk("c"), llamaFinal, `[DONE]`)
	vu := clientVU(t, srv.URL, []string{streamLine}, routeJS("llm-stream", "openai-stream", 5000))
	require.Nil(t, vu.send(t, 0))
	got, _ := vu.genloadSamples()
	require.Contains(t, got, "genload_server_prefill_ms=12.5")
	require.Contains(t, got, "genload_server_decode_ms=60.25")
	e2e := valueOf(t, got, "genload_e2e_ms")
	require.Greater(t, e2e, 12.5+60.25)
	require.InDelta(t, e2e-12.5-60.25, valueOf(t, got, "genload_queue_network_ms"), 1e-9)
	require.Contains(t, got, "genload_prompt_cached_tokens=32", "cache_n")
	require.Contains(t, got, "genload_prompt_cache_reported_tokens=40", "cache_n + prompt_n")
	require.Zero(t, count(got, "genload_server_queue_ms"), "llama.cpp reports no queue time")
}

func TestClientReadsLlamaCppTimingsFromANonStreamedAnswer(t *testing.T) {
	t.Parallel()
	body := `{"choices":[{"message":{"content":"abc"}}],"usage":{"completion_tokens":6,"prompt_tokens":5},` +
		`"timings":{"cache_n":0,"prompt_n":5,"prompt_ms":4,"predicted_n":6,"predicted_ms":30}}`
	srv := httptest.NewServer(answerWith(200, "", body))
	t.Cleanup(srv.Close)
	vu := clientVU(t, srv.URL, []string{llmLine}, routeJS("llm", "openai", 5000))
	require.Nil(t, vu.send(t, 0))
	got, _ := vu.genloadSamples()
	require.Contains(t, got, "genload_server_prefill_ms=4")
	require.Contains(t, got, "genload_server_decode_ms=30")
	require.Contains(t, got, "genload_prompt_cached_tokens=0")
	require.Contains(t, got, "genload_prompt_cache_reported_tokens=5")
}

func TestServerSplitRules(t *testing.T) {
	t.Parallel()
	llm := workRequest{class: classLLM}
	base := []string{"genload_requests=1", "genload_error_rate=0", "genload_goodput_ratio=1", "genload_good_requests=1", "genload_e2e_ms=100"}
	cases := []struct {
		name string
		o    outcome
		want []string
	}{
		{"nothing reported: nothing recorded (not zero)", outcome{class: classLLM, ok: true, e2e: 100}, base},
		{"the reference server's prefill and decode", outcome{class: classLLM, ok: true, e2e: 100,
			server: withTimings(map[string]float64{"prefill": 10, "decode": 70})},
			append(append([]string{}, base...), "genload_server_prefill_ms=10", "genload_server_decode_ms=70", "genload_queue_network_ms=20")},
		{"only usage's cached_tokens (vLLM, OpenAI)", outcome{class: classLLM, ok: true, e2e: 100, promptTokens: opt{50, true}, cachedTokens: opt{48, true}},
			append(append([]string{}, base...), "genload_prompt_tokens=50", "genload_prompt_cached_tokens=48", "genload_prompt_cache_reported_tokens=50")},
		{"an image's decode is not an llm decode", outcome{class: classImage, ok: true, e2e: 100,
			server: withTimings(map[string]float64{"decode": 30})}, base},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r, vu := newRecorder(t, []string{})
			require.Equal(t, c.want, recorded(t, r, vu, c.o, llm, nil))
		})
	}
}
