package genload

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"go.k6.io/k6/metrics"
)

// newRecorder is an outcome recorder made from the test name tables (with
// `counted` when not nil) and a VU in its run phase to record with.
func newRecorder(t *testing.T, counted []string) (*outcomeRecorder, testVU) {
	t.Helper()
	tr, rt := initVU(t, nil)
	mi := new(RootModule).NewModuleInstance(tr.VU).(*ModuleInstance)
	spec := rt.ToValue(rt.Get("names")).ToObject(rt)
	if counted != nil {
		require.NoError(t, spec.Set("counted", counted))
	}
	r, err := newOutcomeRecorder(mi, rt, spec)
	require.NoError(t, err)
	return r, toRunPhase(tr)
}

// recorded records one outcome and returns its samples as "name{extra tags}=value"
// (extra: tags beyond the VU's scenario and the base stage and class).
func recorded(t *testing.T, r *outcomeRecorder, vu testVU, o outcome, req workRequest, limits *requestLimits) []string {
	t.Helper()
	state := r.gi.vu.State()
	tags := state.Tags.GetCurrentValues()
	tags.Tags = tags.Tags.With("stage", "measure").With("class", classNames[o.class])
	r.record(&o, &req, 3, "measure", limits, tags)
	require.Len(t, vu.samples, 1, "one push per recorded outcome")
	return describeSamples((<-vu.samples).GetSamples())
}

func describeSamples(samples []metrics.Sample) []string {
	var out []string
	for _, s := range samples {
		tags := s.Tags.Map()
		var extra []string
		for _, k := range sortedKeys(tags) {
			if k != "scenario" && k != "stage" && k != "class" {
				extra = append(extra, k+"="+tags[k])
			}
		}
		name := s.Metric.Name
		if len(extra) > 0 {
			name += "{" + strings.Join(extra, ",") + "}"
		}
		out = append(out, fmt.Sprintf("%s=%g", name, s.Value))
	}
	return out
}

func withTimings(pairs map[string]float64) serverTimings {
	var st serverTimings
	for name, ms := range pairs {
		i := fieldIndex(name)
		st.ms[i], st.set[i] = ms, true
	}
	return st
}

// The recorder's rules: samplesOf of lib/k6/metrics/samples.ts (latency
// samples from successes only, goodput against the per-request limits,
// genload_samples counts for the counted Trends), plus the token samples.
func TestOutcomeRecorderRules(t *testing.T) {
	t.Parallel()
	llm := workRequest{class: classLLM}
	asked := workRequest{class: classLLM, inputTokens: opt{100, true}, outputTokens: opt{64, true}}
	image := workRequest{class: classImage, steps: 8}
	e2eCount := "genload_samples{metric_name=genload_e2e_ms}=1"
	cases := []struct {
		name    string
		o       outcome
		req     workRequest
		limits  *requestLimits
		counted []string
		want    []string
	}{
		{"a failure counts, and records no latency", outcome{class: classLLM, errorClass: "shed", e2e: 3, ttft: opt{1, true}}, asked, nil, nil,
			[]string{"genload_requests=1", "genload_error_rate=1", "genload_goodput_ratio=0", "genload_errors{error_class=shed}=1"}},
		{"a failure without a class is a protocol error", outcome{class: classLLM, e2e: 3}, llm, nil, nil,
			[]string{"genload_requests=1", "genload_error_rate=1", "genload_goodput_ratio=0", "genload_errors{error_class=protocol}=1"}},
		{"a non-streamed completion", outcome{class: classLLM, ok: true, e2e: 100, outTokens: opt{10, true}, promptTokens: opt{5, true}}, llm, nil, nil,
			[]string{"genload_requests=1", "genload_error_rate=0", "genload_goodput_ratio=1", "genload_good_requests=1",
				"genload_e2e_ms=100", e2eCount, "genload_output_tokens=10",
				"genload_output_tokens_per_s=100", "genload_samples{metric_name=genload_output_tokens_per_s}=1", "genload_prompt_tokens=5"}},
		{"a stream: ttft, one itl sample per gap, tpot", outcome{class: classLLM, ok: true, e2e: 50, ttft: opt{20, true}, itl: []float64{5, 15, 10}, outTokens: opt{4, true}}, llm, nil, []string{},
			[]string{"genload_requests=1", "genload_error_rate=0", "genload_goodput_ratio=1", "genload_good_requests=1",
				"genload_e2e_ms=50", "genload_ttft_ms=20", "genload_itl_ms=5", "genload_itl_ms=15", "genload_itl_ms=10",
				"genload_tpot_ms=10", "genload_output_tokens=4", "genload_output_tokens_per_s=80"}},
		{"counted trends only", outcome{class: classLLM, ok: true, e2e: 50, ttft: opt{20, true}, itl: []float64{5, 15}, outTokens: opt{3, true}}, llm, nil,
			[]string{"genload_itl_ms", "genload_tpot_ms"},
			[]string{"genload_requests=1", "genload_error_rate=0", "genload_goodput_ratio=1", "genload_good_requests=1",
				"genload_e2e_ms=50", "genload_ttft_ms=20", "genload_itl_ms=5", "genload_itl_ms=15", "genload_samples{metric_name=genload_itl_ms}=2",
				"genload_tpot_ms=15", "genload_samples{metric_name=genload_tpot_ms}=1", "genload_output_tokens=3", "genload_output_tokens_per_s=60"}},
		{"a limit missed is not goodput", outcome{class: classLLM, ok: true, e2e: 50, ttft: opt{20, true}, outTokens: opt{0, true}}, llm,
			&requestLimits{ttft: opt{10, true}}, []string{},
			[]string{"genload_requests=1", "genload_error_rate=0", "genload_goodput_ratio=0", "genload_e2e_ms=50", "genload_ttft_ms=20", "genload_output_tokens=0"}},
		{"a limit on a latency not measured is not goodput", outcome{class: classLLM, ok: true, e2e: 50}, llm,
			&requestLimits{tpot: opt{10, true}}, []string{},
			[]string{"genload_requests=1", "genload_error_rate=0", "genload_goodput_ratio=0", "genload_e2e_ms=50"}},
		{"limits met are goodput", outcome{class: classLLM, ok: true, e2e: 50}, llm,
			&requestLimits{e2e: opt{50, true}}, []string{},
			[]string{"genload_requests=1", "genload_error_rate=0", "genload_goodput_ratio=1", "genload_good_requests=1", "genload_e2e_ms=50"}},
		{"an image: step = e2e / steps, images", outcome{class: classImage, ok: true, e2e: 80, images: opt{1, true}, steps: opt{8, true}}, image,
			&requestLimits{step: opt{10, true}}, []string{},
			[]string{"genload_requests=1", "genload_error_rate=0", "genload_goodput_ratio=1", "genload_good_requests=1",
				"genload_e2e_ms=80", "genload_images=1", "genload_step_ms=10"}},
		{"server timings: queue, inference, denoise, total, client overhead; the server's step wins",
			outcome{class: classImage, ok: true, e2e: 40, images: opt{1, true}, steps: opt{8, true},
				server: withTimings(map[string]float64{"queue": 5, "total": 30, "denoise": 20, "step": 2.5})}, image, nil, []string{},
			[]string{"genload_requests=1", "genload_error_rate=0", "genload_goodput_ratio=1", "genload_good_requests=1",
				"genload_e2e_ms=40", "genload_images=1", "genload_step_ms=2.5", "genload_server_queue_ms=5",
				"genload_server_inference_ms=25", "genload_server_denoise_ms=20", "genload_server_total_ms=30", "genload_client_overhead_ms=10"}},
		{"token accuracy: short output, more prompt tokens than asked", outcome{class: classLLM, ok: true, e2e: 1000, outTokens: opt{48, true}, promptTokens: opt{110, true}}, asked, nil, []string{},
			[]string{"genload_requests=1", "genload_error_rate=0", "genload_goodput_ratio=1", "genload_good_requests=1",
				"genload_e2e_ms=1000", "genload_output_tokens=48", "genload_output_tokens_per_s=48", "genload_prompt_tokens=110",
				"genload_output_token_error_ratio=-0.25", "genload_output_short=1", "genload_input_token_error_ratio=0.1"}},
		{"token accuracy: the asked output, no prompt count from the server", outcome{class: classLLM, ok: true, e2e: 1000, outTokens: opt{64, true}}, asked, nil, []string{},
			[]string{"genload_requests=1", "genload_error_rate=0", "genload_goodput_ratio=1", "genload_good_requests=1",
				"genload_e2e_ms=1000", "genload_output_tokens=64", "genload_output_tokens_per_s=64",
				"genload_output_token_error_ratio=0", "genload_output_short=0"}},
		{"token accuracy needs the output count", outcome{class: classLLM, ok: true, e2e: 1000}, asked, nil, []string{},
			[]string{"genload_requests=1", "genload_error_rate=0", "genload_goodput_ratio=1", "genload_good_requests=1", "genload_e2e_ms=1000"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r, vu := newRecorder(t, c.counted)
			require.Equal(t, c.want, recorded(t, r, vu, c.o, c.req, c.limits))
		})
	}
}

func TestOutcomeRecorderOneITLSamplePerRequestWritesTheGaps(t *testing.T) {
	t.Parallel()
	r, vu := newRecorder(t, []string{"genload_itl_ms"})
	path := filepath.Join(t.TempDir(), "itl.jsonl")
	r.itlPerRequest, r.itlFile = true, gapWriterFor(path, r.gi.vu.Events())
	o := outcome{class: classLLM, ok: true, e2e: 50, ttft: opt{20, true}, itl: []float64{5, 15.25, 10}, outTokens: opt{4, true}}
	got := recorded(t, r, vu, o, workRequest{class: classLLM}, nil)
	require.Contains(t, got, "genload_itl_ms=10.083333333333334")
	require.Contains(t, got, "genload_samples{metric_name=genload_itl_ms}=1")
	require.NoError(t, r.itlFile.flush(true))
	raw, err := os.ReadFile(path) //nolint:gosec // the test's own file
	require.NoError(t, err)
	require.Equal(t, `{"i":3,"stage":"measure","gaps":[5,15.25,10]}`+"\n", string(raw))
}

func TestOutcomeRecorderNamesEveryProblem(t *testing.T) {
	t.Parallel()
	tr, rt := initVU(t, nil)
	mi := new(RootModule).NewModuleInstance(tr.VU).(*ModuleInstance)
	spec, err := rt.RunString(`({trend: {e2eMs: 'nope_ms', outputTokenErrorRatio: 'nope_ratio'}, counter: {}, rate: {}, tag: {}, counted: ['other']})`)
	require.NoError(t, err)
	_, err = newOutcomeRecorder(mi, rt, spec.ToObject(rt))
	for _, want := range []string{
		"trend.e2eMs: must be created in the init context first, but 'nope_ms' is not",
		"trend.outputTokenErrorRatio: must be created in the init context first, but 'nope_ratio' is not",
		"counter.requests: must name a metric, but is missing",
		"tag.errorClass: must name a tag, but is missing",
		"counted: must name created metrics, but 'other' is not",
	} {
		require.ErrorContains(t, err, want)
	}
	require.NotContains(t, err.Error(), "inputTokenErrorRatio", "the token metrics are optional")
}
