package genload

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/grafana/sobek"
	"github.com/stretchr/testify/require"
	"gopkg.in/guregu/null.v3"

	"go.k6.io/k6/js/modulestest"
	"go.k6.io/k6/lib"
	"go.k6.io/k6/lib/fsext"
	"go.k6.io/k6/metrics"
)

// metricNames mirrors lib/shared/metrics.ts for the test VU (the real names
// come from the script at run time), the optional token metrics included.
const metricNames = `{
	trend: {e2eMs: 'genload_e2e_ms', ttftMs: 'genload_ttft_ms', itlMs: 'genload_itl_ms', tpotMs: 'genload_tpot_ms',
		outputTokensPerS: 'genload_output_tokens_per_s', stepMs: 'genload_step_ms', serverQueueMs: 'genload_server_queue_ms',
		serverInferenceMs: 'genload_server_inference_ms', serverDenoiseMs: 'genload_server_denoise_ms',
		serverTotalMs: 'genload_server_total_ms', clientOverheadMs: 'genload_client_overhead_ms',
		inputTokenErrorRatio: 'genload_input_token_error_ratio', outputTokenErrorRatio: 'genload_output_token_error_ratio',
		startLagMs: 'genload_start_lag_ms', serverPrefillMs: 'genload_server_prefill_ms',
		serverDecodeMs: 'genload_server_decode_ms', queueNetworkMs: 'genload_queue_network_ms'},
	counter: {requests: 'genload_requests', outputTokens: 'genload_output_tokens', promptTokens: 'genload_prompt_tokens',
		images: 'genload_images', goodRequests: 'genload_good_requests', errors: 'genload_errors', samples: 'genload_samples',
		promptCachedTokens: 'genload_prompt_cached_tokens', promptCacheReportedTokens: 'genload_prompt_cache_reported_tokens'},
	rate: {errorRate: 'genload_error_rate', goodputRatio: 'genload_goodput_ratio', outputShort: 'genload_output_short'},
	tag: {stage: 'stage', class: 'class', errorClass: 'error_class', metricName: 'metric_name'},
}`

// testVU is a VU in its run phase (toRunPhase).
type testVU struct {
	rt      *sobek.Runtime
	samples chan metrics.SampleContainer
	cancel  func() // stops the test (the VU's context)
}

// initVU is a VU in its init context with `genload` bound to the module's
// default export, genload's metrics created (as the script's init context
// does), `names` bound to their name tables and files in k6's file system.
func initVU(t *testing.T, files map[string]string) (*modulestest.Runtime, *sobek.Runtime) {
	t.Helper()
	tr := modulestest.NewRuntime(t)
	fs := fsext.NewMemMapFs()
	for path, text := range files {
		require.NoError(t, fsext.WriteFile(fs, path, []byte(text), 0o644))
	}
	tr.VU.InitEnvField.FileSystems = map[string]fsext.Fs{"file": fs}
	tr.VU.InitEnvField.CWD.Path = "/"
	mi := new(RootModule).NewModuleInstance(tr.VU)
	rt := tr.VU.Runtime()
	require.NoError(t, rt.Set("genload", mi.Exports().Default))
	names, err := rt.RunString("(" + metricNames + ")")
	require.NoError(t, err)
	require.NoError(t, rt.Set("names", names))
	for table, typ := range map[string]metrics.MetricType{"trend": metrics.Trend, "counter": metrics.Counter, "rate": metrics.Rate} {
		t := names.ToObject(rt).Get(table).ToObject(rt)
		for _, key := range t.Keys() {
			_, _ = tr.VU.InitEnvField.Registry.NewMetric(t.Get(key).String(), typ)
		}
	}
	_, err = tr.VU.InitEnvField.Registry.NewMetric("test_ms", metrics.Trend, metrics.Time)
	require.NoError(t, err)
	return tr, rt
}

// toRunPhase moves a test runtime to its run phase (VU tag scenario: s1).
func toRunPhase(tr *modulestest.Runtime) testVU {
	registry := tr.VU.InitEnvField.Registry
	samples := make(chan metrics.SampleContainer, 10000)
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
	return testVU{rt: tr.VU.Runtime(), samples: samples, cancel: tr.CancelContext}
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

// workloadFile is a workload.jsonl with the given request lines (a phase
// "measure" over all of them), for the given api.
func workloadFile(api string, lines ...string) string {
	header := fmt.Sprintf(`{"genload":"workload","version":1,"api":%q,"source":"synthetic","tokenizer":"o200k_base","count":%d,"phases":[{"name":"measure","from":0,"count":%d}],"trace":false}`,
		api, len(lines), len(lines))
	return header + "\n" + strings.Join(lines, "\n") + "\n"
}

// jsonText is v as JSON (for a line's body).
func jsonText(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func TestRecordPushesOneBatchWithMergedTags(t *testing.T) {
	t.Parallel()
	tr, _ := initVU(t, nil)
	vu := toRunPhase(tr)
	_, err := vu.rt.RunString(`genload.record([
		{metric: 'test_ms', value: 12.5},
		{metric: 'genload_errors', value: 1, tags: {error_class: 'timeout', class: 'image'}},
		{metric: 'genload_errors', value: true},
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
	tr, _ := initVU(t, nil)
	vu := toRunPhase(tr)
	_, err := vu.rt.RunString(`genload.record([{metric: 'nope', value: 1}], {})`)
	require.ErrorContains(t, err, "'nope' is not")
	require.Empty(t, vu.samples)
}

func mustOpen(t *testing.T, path string) io.Reader {
	t.Helper()
	f, err := os.Open(path) //nolint:gosec // the test's own file
	require.NoError(t, err)
	t.Cleanup(func() { _ = f.Close() })
	return f
}
