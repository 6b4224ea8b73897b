package sse

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/grafana/sobek"
	"github.com/stretchr/testify/require"
	"gopkg.in/guregu/null.v3"

	"go.k6.io/k6/js/modulestest"
	"go.k6.io/k6/lib"
	"go.k6.io/k6/metrics"

	"github.com/genload/xk6-genload/internal/eventstream"
)

// testVU is a VU in its run phase (newTestVU).
type testVU struct {
	rt      *sobek.Runtime
	samples chan metrics.SampleContainer
}

// run evaluates script and returns the value of its last expression as Go data.
func (v testVU) run(t *testing.T, script string) map[string]any {
	t.Helper()
	val, err := v.rt.RunString(script)
	require.NoError(t, err)
	return val.Export().(map[string]any)
}

// sampleValues drains the pushed samples, by metric name.
func (v testVU) sampleValues() map[string][]metrics.Sample {
	out := map[string][]metrics.Sample{}
	for {
		select {
		case c := <-v.samples:
			for _, s := range c.GetSamples() {
				out[s.Metric.Name] = append(out[s.Metric.Name], s)
			}
		default:
			return out
		}
	}
}

// newTestVU is a VU in its run phase with `sse` bound to the module's default export.
func newTestVU(t *testing.T) testVU {
	t.Helper()
	tr := modulestest.NewRuntime(t)
	mi := new(RootModule).NewModuleInstance(tr.VU)
	require.NoError(t, tr.VU.Runtime().Set("sse", mi.Exports().Default))
	registry := metrics.NewRegistry()
	samples := make(chan metrics.SampleContainer, 1000)
	tr.MoveToVUContext(&lib.State{
		Options: lib.Options{
			SystemTags: metrics.NewSystemTagSet(metrics.TagURL, metrics.TagStatus, metrics.TagMethod, metrics.TagName),
			UserAgent:  null.StringFrom("genload-test"),
		},
		Transport:      http.DefaultTransport,
		Samples:        samples,
		BuiltinMetrics: metrics.RegisterBuiltinMetrics(registry),
		Tags:           lib.NewVUStateTags(registry.RootTagSet()),
	})
	return testVU{rt: tr.VU.Runtime(), samples: samples}
}

// streamServer sends count events spaced by gap, flushing each one.
func streamServer(t *testing.T, count int, gap time.Duration) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept") != "text/event-stream" || r.Header.Get("X-Test") != "yes" {
			http.Error(w, "missing headers", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		for i := 0; i < count; i++ {
			select {
			case <-r.Context().Done():
				return
			case <-time.After(gap):
			}
			_, _ = fmt.Fprintf(w, ": keep-alive\r\nid: %d\r\nevent: token\r\ndata: t%d\r\n\r\n", i, i)
			w.(http.Flusher).Flush()
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestOpenStreamsEventsWithTimings(t *testing.T) {
	srv := streamServer(t, 5, 20*time.Millisecond)
	vu := newTestVU(t)
	got := vu.run(t, `
		const seen = [];
		let head = null;
		const res = sse.open(`+"`"+srv.URL+"`"+`, { headers: { 'X-Test': 'yes' }, tags: { endpoint: 'gen' } }, (client) => {
			client.on('open', (h) => { head = h; });
			client.on('event', (ev) => { seen.push(ev); });
			client.on('error', (e) => { throw new Error('unexpected error handler: ' + e.error()); });
		});
		({ res, seen, head, json: JSON.stringify(res), keys: Object.keys(res.headers) });
	`)
	res := got["res"].(map[string]any)
	require.EqualValues(t, 200, res["status"])
	require.Equal(t, "", res["error"])
	require.EqualValues(t, 5, res["events"])
	require.Equal(t, "text/event-stream", res["headers"].(map[string]string)["Content-Type"])
	require.EqualValues(t, 200, got["head"].(map[string]any)["status"])
	require.Contains(t, got["keys"], "Content-Type")
	require.Contains(t, got["json"], `"Content-Type":"text/event-stream"`)
	require.Contains(t, got["json"], `"retryMs":null`)

	seen := got["seen"].([]any)
	require.Len(t, seen, 5)
	prevMs := 0.0
	for i, raw := range seen {
		ev := raw.(map[string]any)
		require.Equal(t, fmt.Sprint(i), ev["id"])
		require.Equal(t, "token", ev["name"])
		require.Equal(t, fmt.Sprintf("t%d", i), ev["data"])
		ms := ev["ms"].(float64)
		require.Greater(t, ms, prevMs+10, "event %d ms must follow the previous by about the 20 ms gap", i)
		prevMs = ms
	}
	timings := res["timings"].(map[string]any)
	require.GreaterOrEqual(t, timings["totalMs"].(float64), prevMs)

	samples := vu.sampleValues()
	require.Len(t, samples[MetricEvent], 5)
	tags := samples[MetricEvent][0].Tags.Map()
	require.Equal(t, "gen", tags["endpoint"])
	require.Equal(t, "200", tags["status"])
	require.Equal(t, srv.URL, tags["name"])
	require.Len(t, samples[MetricStreamFailed], 1)
	require.Zero(t, samples[MetricStreamFailed][0].Value)
}

func TestOpenCloseFromHandler(t *testing.T) {
	srv := streamServer(t, 50, 5*time.Millisecond)
	vu := newTestVU(t)
	got := vu.run(t, `
		let n = 0;
		const res = sse.open(`+"`"+srv.URL+"`"+`, { headers: { 'X-Test': 'yes' } }, (client) => {
			client.on('event', () => { n++; if (n === 2) client.close(); });
		});
		({ res, n });
	`)
	require.EqualValues(t, 2, got["n"])
	require.EqualValues(t, 2, got["res"].(map[string]any)["events"])
	require.Equal(t, "", got["res"].(map[string]any)["error"])
}

func TestOpenFailures(t *testing.T) {
	refused := httptest.NewServer(http.NotFoundHandler())
	refusedURL := refused.URL
	refused.Close()
	slow := streamServer(t, 1, 5*time.Second)
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "model overloaded", http.StatusServiceUnavailable)
	}))
	t.Cleanup(failing.Close)

	cases := []struct {
		name, url, params string
		wantCode          int
		wantStatus        int
		wantText          string
	}{
		{"non-2xx keeps status and body", failing.URL, `{}`, 1503, 503, "model overloaded"},
		{"timeout bounds the whole stream", slow.URL, `{ headers: { 'X-Test': 'yes' }, timeout: '100ms' }`, eventstream.CodeRequestTimeout, 200, "request timeout"},
		{"connection refused", refusedURL, `{}`, eventstream.CodeTCPDialRefused, 0, "refused"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			vu := newTestVU(t)
			got := vu.run(t, `
				let handled = null;
				const res = sse.open('`+tc.url+`', `+tc.params+`, (c) => { c.on('error', (e) => { handled = e.code; }); });
				({ res, handled });
			`)
			res := got["res"].(map[string]any)
			require.EqualValues(t, tc.wantCode, res["error_code"])
			require.EqualValues(t, tc.wantCode, got["handled"])
			require.EqualValues(t, tc.wantStatus, res["status"])
			require.Contains(t, res["error"], tc.wantText)
			failed := vu.sampleValues()[MetricStreamFailed]
			require.Len(t, failed, 1)
			require.EqualValues(t, 1, failed[0].Value)
		})
	}
}

func TestOpenRejectsBadArguments(t *testing.T) {
	vu := newTestVU(t)
	_, err := vu.rt.RunString(`sse.open('http://127.0.0.1:1', { timeout: -1, header: {}, body: {} }, () => {})`)
	require.Error(t, err)
	for _, want := range []string{"params.timeout", "params.header is not a known option", "params.body must be a string"} {
		require.True(t, strings.Contains(err.Error(), want), "%q should mention %q", err.Error(), want)
	}
	_, err = vu.rt.RunString(`sse.open('http://127.0.0.1:1', {}, (c) => c.on('message', () => {}))`)
	require.ErrorContains(t, err, `must be one of open, event, error, but is "message"`)
}

func TestOpenHandlerExceptionReachesScript(t *testing.T) {
	srv := streamServer(t, 3, time.Millisecond)
	vu := newTestVU(t)
	_, err := vu.rt.RunString(`sse.open('` + srv.URL + `', { headers: { 'X-Test': 'yes' } }, (c) => {
		c.on('event', () => { throw new Error('boom in handler'); });
	})`)
	require.ErrorContains(t, err, "boom in handler")
}
