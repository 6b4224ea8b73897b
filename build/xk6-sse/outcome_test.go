package sse

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/grafana/sobek"
	"github.com/stretchr/testify/require"

	"go.k6.io/k6/js/modulestest"
	"go.k6.io/k6/metrics"
)

// metricNames mirrors lib/shared/metrics.ts for the test VU (the real names
// come from the script at run time).
const metricNames = `{
	trend: {e2eMs: 'genload_e2e_ms', ttftMs: 'genload_ttft_ms', itlMs: 'genload_itl_ms', tpotMs: 'genload_tpot_ms',
		outputTokensPerS: 'genload_output_tokens_per_s', stepMs: 'genload_step_ms', serverQueueMs: 'genload_server_queue_ms',
		serverInferenceMs: 'genload_server_inference_ms', serverDenoiseMs: 'genload_server_denoise_ms',
		serverTotalMs: 'genload_server_total_ms', clientOverheadMs: 'genload_client_overhead_ms'},
	counter: {requests: 'genload_requests', outputTokens: 'genload_output_tokens', promptTokens: 'genload_prompt_tokens',
		images: 'genload_images', goodRequests: 'genload_good_requests', errors: 'genload_errors', samples: 'genload_samples'},
	rate: {errorRate: 'genload_error_rate', goodputRatio: 'genload_goodput_ratio'},
	tag: {stage: 'stage', class: 'class', errorClass: 'error_class', metricName: 'metric_name'},
}`

// newOutcomeVU is a run-phase VU whose init context created genload's metrics
// and one outcome recorder per counted list (`recorders[i]`, the last one
// without a list: every Trend counted).
func newOutcomeVU(t *testing.T, counted [][]string) testVU {
	t.Helper()
	tr, rt := initGenloadWithMetrics(t)
	lists, err := json.Marshal(counted)
	require.NoError(t, err)
	_, err = rt.RunString(fmt.Sprintf(`var recorders = %s.map((c) => genload.outcomeRecorder({...names, counted: c}));
		recorders.push(genload.outcomeRecorder(names));`, lists))
	require.NoError(t, err)
	return newGenloadVUFrom(tr, tr.VU.InitEnvField.Registry)
}

// initGenloadWithMetrics is initGenload with genload's metrics registered (as
// runtime/k6.ts does) and `names` bound to their name tables (metricNames).
func initGenloadWithMetrics(t *testing.T) (*modulestest.Runtime, *sobek.Runtime) {
	t.Helper()
	tr, rt := initGenload(t)
	names, err := rt.RunString("(" + metricNames + ")")
	require.NoError(t, err)
	require.NoError(t, rt.Set("names", names))
	for table, typ := range map[string]metrics.MetricType{"trend": metrics.Trend, "counter": metrics.Counter, "rate": metrics.Rate} {
		for _, key := range names.ToObject(rt).Get(table).ToObject(rt).Keys() {
			_, err := tr.VU.InitEnvField.Registry.NewMetric(names.ToObject(rt).Get(table).ToObject(rt).Get(key).String(), typ)
			require.NoError(t, err)
		}
	}
	return tr, rt
}

type goldenSample struct {
	Metric string            `json:"metric"`
	Value  float64           `json:"value"`
	Tags   map[string]string `json:"tags,omitempty"`
}

type goldenCase struct {
	Name       string          `json:"name"`
	Outcome    json.RawMessage `json:"outcome"`
	PerRequest json.RawMessage `json:"perRequest"`
	Counted    []string        `json:"counted"`
	Samples    []goldenSample  `json:"samples"`
}

// pushedSamples reads one record call's samples: metric, value and the tags
// beyond the VU's (scenario) and the base tags (stage, class).
func (v testVU) pushedSamples(t *testing.T) []goldenSample {
	t.Helper()
	require.Len(t, v.samples, 1, "one push per recorded outcome")
	var out []goldenSample
	for _, s := range (<-v.samples).GetSamples() {
		tags := s.Tags.Map()
		require.Equal(t, "s1", tags["scenario"])
		require.Equal(t, "measure", tags["stage"])
		delete(tags, "scenario")
		delete(tags, "stage")
		if tags["class"] == "llm" {
			delete(tags, "class")
		}
		if len(tags) == 0 {
			tags = nil
		}
		out = append(out, goldenSample{Metric: s.Metric.Name, Value: s.Value, Tags: tags})
	}
	return out
}

// The golden file holds samplesOf's answers (lib/k6/metrics/samples.test.ts
// checks that): the Go recorder must give the same samples, in the same order.
func TestOutcomeRecorderAgreesWithSamplesOf(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/samples.golden.json")
	require.NoError(t, err)
	var cases []goldenCase
	require.NoError(t, json.Unmarshal(raw, &cases))
	require.Greater(t, len(cases), 50)
	var lists [][]string
	for _, c := range cases {
		if c.Counted != nil {
			lists = append(lists, c.Counted)
		}
	}
	vu := newOutcomeVU(t, lists)
	list := 0
	for _, c := range cases {
		recorder := len(lists) // the one counting every Trend
		if c.Counted != nil {
			recorder, list = list, list+1
		}
		perRequest := "undefined"
		if c.PerRequest != nil {
			perRequest = string(c.PerRequest)
		}
		_, err := vu.rt.RunString(fmt.Sprintf(`recorders[%d].record(%s, %s, {stage: 'measure', class: 'llm'})`, recorder, c.Outcome, perRequest))
		require.NoError(t, err, c.Name)
		want := c.Samples
		for i := range want {
			if len(want[i].Tags) == 0 {
				want[i].Tags = nil
			}
		}
		require.Equal(t, want, vu.pushedSamples(t), c.Name)
	}
}

func TestOutcomeRecorderSkipsNonFiniteTrendValues(t *testing.T) {
	t.Parallel()
	vu := newOutcomeVU(t, [][]string{{}})
	_, err := vu.rt.RunString(`recorders[0].record({ok: true, e2eMs: 10, outputTokens: 2,
		server: {totalMs: NaN, queueMs: Infinity, denoiseMs: -Infinity}}, undefined, {stage: 'measure', class: 'llm'})`)
	require.NoError(t, err)
	var names []string
	for _, s := range vu.pushedSamples(t) {
		names = append(names, s.Metric)
		require.False(t, math.IsNaN(s.Value) || math.IsInf(s.Value, 0), s.Metric)
	}
	require.Equal(t, []string{"genload_requests", "genload_error_rate", "genload_goodput_ratio", "genload_good_requests",
		"genload_e2e_ms", "genload_output_tokens", "genload_output_tokens_per_s"}, names)
}

func TestOutcomeRecorderNamesEveryProblem(t *testing.T) {
	t.Parallel()
	_, rt := initGenload(t)
	_, err := rt.RunString(`genload.outcomeRecorder({trend: {e2eMs: 'nope_ms'}, counter: {}, rate: {}, tag: {}, counted: ['other']})`)
	require.ErrorContains(t, err, "trend.e2eMs: must be created in the init context first, but 'nope_ms' is not")
	require.ErrorContains(t, err, "counter.requests: must name a metric, but is missing")
	require.ErrorContains(t, err, "tag.errorClass: must name a tag, but is missing")
	require.ErrorContains(t, err, "counted: must name created metrics, but 'other' is not")
}
