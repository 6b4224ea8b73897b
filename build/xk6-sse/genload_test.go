package sse

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/grafana/sobek"
	"github.com/stretchr/testify/require"
	"gopkg.in/guregu/null.v3"

	"go.k6.io/k6/js/modulestest"
	"go.k6.io/k6/lib"
	"go.k6.io/k6/metrics"
)

// newGenloadVU is a VU in its run phase with `genload` bound to the module's
// default export, two custom metrics registered (as a script's init context
// would) and the VU tag `scenario: s1`.
func newGenloadVU(t *testing.T) testVU {
	t.Helper()
	tr, _ := initGenload(t)
	registry := tr.VU.InitEnvField.Registry
	_, err := registry.NewMetric("test_ms", metrics.Trend, metrics.Time)
	require.NoError(t, err)
	_, err = registry.NewMetric("test_count", metrics.Counter)
	require.NoError(t, err)
	return newGenloadVUFrom(tr, registry)
}

// initGenload is a VU in its init context with `genload` bound to the module's default export.
func initGenload(t *testing.T) (*modulestest.Runtime, *sobek.Runtime) {
	t.Helper()
	tr := modulestest.NewRuntime(t)
	mi := new(GenloadRoot).NewModuleInstance(tr.VU)
	rt := tr.VU.Runtime()
	require.NoError(t, rt.Set("genload", mi.Exports().Default))
	return tr, rt
}

// newGenloadVUFrom moves a test runtime to its run phase (VU tag scenario: s1).
func newGenloadVUFrom(tr *modulestest.Runtime, registry *metrics.Registry) testVU {
	samples := make(chan metrics.SampleContainer, 1000)
	tags := lib.NewVUStateTags(registry.RootTagSet().With("scenario", "s1"))
	tr.MoveToVUContext(&lib.State{
		Options: lib.Options{
			SystemTags: metrics.NewSystemTagSet(metrics.TagURL, metrics.TagStatus, metrics.TagMethod, metrics.TagName),
			UserAgent:  null.StringFrom("genload-test"),
		},
		Transport:      http.DefaultTransport,
		BufferPool:     lib.NewBufferPool(),
		Samples:        samples,
		BuiltinMetrics: tr.BuiltinMetrics,
		Tags:           tags,
		Logger:         tr.VU.InitEnvField.Logger,
	})
	return testVU{rt: tr.VU.Runtime(), samples: samples}
}

func TestRequestAnswersWithParsedServerTimingAndK6Metrics(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || string(body) != `{"a":1}` {
			http.Error(w, "unexpected request", http.StatusBadRequest)
			return
		}
		w.Header().Set("Server-Timing", "queue;dur=1.5, total;dur=4")
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(srv.Close)
	vu := newGenloadVU(t)
	got := vu.run(t, fmt.Sprintf(`genload.request({method: 'POST', url: %q, body: '{"a":1}',
		headers: {'content-type': 'application/json'}, tags: {stage: 'measure', class: 'llm'}, timeoutMs: 5000})`, srv.URL+"/v1"))
	require.Equal(t, int64(200), got["status"])
	require.Equal(t, `{"ok":true}`, got["body"])
	require.Equal(t, int64(0), got["errorCode"])
	require.Equal(t, "", got["error"])
	require.Equal(t, map[string]any{"queueMs": 1.5, "totalMs": int64(4)}, got["server"])
	require.Greater(t, got["durationMs"].(float64), 0.0)
	require.Equal(t, "queue;dur=1.5, total;dur=4", got["headers"].(map[string]string)["Server-Timing"])

	dur := vu.sampleValues()["http_req_duration"]
	require.Len(t, dur, 1)
	tags := dur[0].Tags.Map()
	require.Equal(t, map[string]string{"scenario": "s1", "stage": "measure", "class": "llm", "method": "POST", "status": "200", "url": srv.URL + "/v1", "name": srv.URL + "/v1"}, tags)
}

func TestRequestFailuresCarryK6ErrorCodes(t *testing.T) {
	t.Parallel()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(300 * time.Millisecond)
	}))
	t.Cleanup(slow.Close)
	refused := httptest.NewServer(http.NotFoundHandler())
	refusedURL := refused.URL
	refused.Close()
	notFound := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(notFound.Close)
	cases := []struct {
		name, url string
		timeoutMs int
		status    int64
		code      int64
	}{
		{"timeout", slow.URL, 50, 0, 1050},
		{"refused", refusedURL, 5000, 0, 1212},
		{"404", notFound.URL, 5000, 404, 1404}, // as k6/http: 1000 + status
		{"invalid url", "::nope", 5000, 0, 1020},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			vu := newGenloadVU(t)
			got := vu.run(t, fmt.Sprintf(`genload.request({method: 'GET', url: %q, timeoutMs: %d})`, c.url, c.timeoutMs))
			require.Equal(t, c.status, got["status"])
			require.Equal(t, c.code, got["errorCode"], "error: %v", got["error"])
			if c.status == 0 {
				require.NotEmpty(t, got["error"])
			}
			require.Equal(t, map[string]any{}, got["server"])
		})
	}
}

func TestRecordPushesOneBatchWithMergedTags(t *testing.T) {
	t.Parallel()
	vu := newGenloadVU(t)
	_, err := vu.rt.RunString(`genload.record([
		{metric: 'test_ms', value: 12.5},
		{metric: 'test_count', value: 1, tags: {error_class: 'timeout', class: 'image'}},
		{metric: 'test_count', value: true},
	], {stage: 'measure', class: 'llm'})`)
	require.NoError(t, err)
	var containers []metrics.SampleContainer
	for len(vu.samples) > 0 {
		containers = append(containers, <-vu.samples)
	}
	require.Len(t, containers, 1, "one push per record call")
	s := containers[0].GetSamples()
	require.Len(t, s, 3)
	require.Equal(t, "test_ms", s[0].Metric.Name)
	require.Equal(t, 12.5, s[0].Value)
	require.Equal(t, map[string]string{"scenario": "s1", "stage": "measure", "class": "llm"}, s[0].Tags.Map())
	require.Equal(t, map[string]string{"scenario": "s1", "stage": "measure", "class": "image", "error_class": "timeout"}, s[1].Tags.Map())
	require.Equal(t, 1.0, s[2].Value)
	require.Equal(t, s[0].Time, s[2].Time)
}

func TestRecordRejectsAnUnknownMetric(t *testing.T) {
	t.Parallel()
	vu := newGenloadVU(t)
	_, err := vu.rt.RunString(`genload.record([{metric: 'nope', value: 1}], {})`)
	require.ErrorContains(t, err, "'nope' is not")
	require.Empty(t, vu.samples)
}

func TestRecordAndRequestRefuseTheInitContext(t *testing.T) {
	t.Parallel()
	_, rt := initGenload(t)
	for _, script := range []string{`genload.record([], {})`, `genload.request({method: 'GET', url: 'http://127.0.0.1:1'})`} {
		_, err := rt.RunString(script)
		require.ErrorContains(t, err, "init context", script)
	}
}

func TestRequestScansAnOpenAICompletionWhenAsked(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"choices":[{"index":0}],"usage":{"prompt_tokens":4,"completion_tokens":6}}`))
	}))
	t.Cleanup(srv.Close)
	vu := newGenloadVU(t)
	got := vu.run(t, fmt.Sprintf(`genload.request({method: 'POST', url: %q, body: '{}', answer: 'openai-completion'})`, srv.URL))
	require.Equal(t, map[string]any{"outputTokens": int64(6), "usageCompletionTokens": int64(6), "promptTokens": int64(4)}, got["completion"])
	got = vu.run(t, fmt.Sprintf(`genload.request({method: 'POST', url: %q, body: '{}'})`, srv.URL))
	require.NotContains(t, got, "completion")
	_, err := vu.rt.RunString(fmt.Sprintf(`genload.request({method: 'POST', url: %q, answer: 'tgi'})`, srv.URL))
	require.ErrorContains(t, err, "answer must be 'openai-completion' or absent, but is 'tgi'")
}
