package sse

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/grafana/sobek"

	"go.k6.io/k6/js/common"
	"go.k6.io/k6/metrics"
)

// outcomeRecorder is samplesOf (lib/k6/metrics/samples.ts) followed by
// record, in Go: it reads one request's Outcome object and adds the same
// samples, in the same order, with the same values and tags. The metric and
// tag names come from the script (lib/shared/metrics.ts), so only the rules
// live here; testdata/samples.golden.json (written from samplesOf by
// lib/k6/metrics/samples.test.ts) keeps both in step.
type outcomeRecorder struct {
	gi *GenloadInstance
	m  outcomeMetrics
	// tag names: error class of a failure, Trend name of a genload_samples count
	tagErrorClass, tagMetricName string
	// Trends whose samples are counted in genload_samples (see countedTrends);
	// countAll when the script gave no list (samplesOf without `counted`)
	counted  map[*metrics.Metric]bool
	countAll bool
}

type outcomeMetrics struct {
	requests, outputTokens, promptTokens, images, goodRequests, errors, samples *metrics.Metric
	errorRate, goodputRatio                                                     *metrics.Metric
	e2e, ttft, itl, tpot, tokensPerS, step                                      *metrics.Metric
	serverQueue, serverInference, serverDenoise, serverTotal, clientOverhead    *metrics.Metric
}

// outcomeRecorderFactory implements genload.outcomeRecorder({trend, counter,
// rate, tag, counted}): trend/counter/rate/tag are the name tables TREND,
// COUNTER, RATE and TAG of lib/shared/metrics.ts, counted the Trend names
// whose samples genload_samples counts. Init context only (the metrics must
// exist by then). Returns {record(outcome, perRequest, tags)}.
func (gi *GenloadInstance) outcomeRecorderFactory(call sobek.FunctionCall) sobek.Value {
	rt := gi.vu.Runtime()
	if gi.vu.State() != nil {
		common.Throw(rt, errors.New("genload.outcomeRecorder must be called in the init context"))
	}
	spec := call.Argument(0)
	if common.IsNullish(spec) {
		common.Throw(rt, errors.New("genload.outcomeRecorder: the argument must be {trend, counter, rate, tag, counted}, but is missing"))
	}
	r, err := newOutcomeRecorder(gi, rt, spec.ToObject(rt))
	if err != nil {
		common.Throw(rt, err)
	}
	o := rt.NewObject()
	if err := o.Set("record", r.record); err != nil {
		common.Throw(rt, err)
	}
	return o
}

func newOutcomeRecorder(gi *GenloadInstance, rt *sobek.Runtime, spec *sobek.Object) (*outcomeRecorder, error) {
	var problems []error
	table := func(name string) *sobek.Object {
		v := spec.Get(name)
		if common.IsNullish(v) {
			problems = append(problems, fmt.Errorf("%s: must be a table of names, but is missing", name))
			return rt.NewObject()
		}
		return v.ToObject(rt)
	}
	trend, counter, rate, tag := table("trend"), table("counter"), table("rate"), table("tag")
	metric := func(t *sobek.Object, table, key string) *metrics.Metric {
		v := t.Get(key)
		if common.IsNullish(v) {
			problems = append(problems, fmt.Errorf("%s.%s: must name a metric, but is missing", table, key))
			return nil
		}
		m := gi.registry.Get(v.String())
		if m == nil {
			problems = append(problems, fmt.Errorf("%s.%s: must be created in the init context first, but '%s' is not", table, key, v.String()))
		}
		return m
	}
	tagName := func(key string) string {
		v := tag.Get(key)
		if common.IsNullish(v) {
			problems = append(problems, fmt.Errorf("tag.%s: must name a tag, but is missing", key))
			return ""
		}
		return v.String()
	}
	r := &outcomeRecorder{gi: gi, counted: map[*metrics.Metric]bool{}}
	r.m = outcomeMetrics{
		requests: metric(counter, "counter", "requests"), outputTokens: metric(counter, "counter", "outputTokens"),
		promptTokens: metric(counter, "counter", "promptTokens"), images: metric(counter, "counter", "images"),
		goodRequests: metric(counter, "counter", "goodRequests"), errors: metric(counter, "counter", "errors"),
		samples:   metric(counter, "counter", "samples"),
		errorRate: metric(rate, "rate", "errorRate"), goodputRatio: metric(rate, "rate", "goodputRatio"),
		e2e: metric(trend, "trend", "e2eMs"), ttft: metric(trend, "trend", "ttftMs"), itl: metric(trend, "trend", "itlMs"),
		tpot: metric(trend, "trend", "tpotMs"), tokensPerS: metric(trend, "trend", "outputTokensPerS"),
		step: metric(trend, "trend", "stepMs"), serverQueue: metric(trend, "trend", "serverQueueMs"),
		serverInference: metric(trend, "trend", "serverInferenceMs"), serverDenoise: metric(trend, "trend", "serverDenoiseMs"),
		serverTotal: metric(trend, "trend", "serverTotalMs"), clientOverhead: metric(trend, "trend", "clientOverheadMs"),
	}
	r.tagErrorClass, r.tagMetricName = tagName("errorClass"), tagName("metricName")
	c := spec.Get("counted")
	r.countAll = common.IsNullish(c)
	if !r.countAll {
		var names []string
		if err := rt.ExportTo(c, &names); err != nil {
			problems = append(problems, fmt.Errorf("counted: must be an array of Trend names, but %w", err))
		}
		for _, name := range names {
			if m := gi.registry.Get(name); m != nil {
				r.counted[m] = true
			} else {
				problems = append(problems, fmt.Errorf("counted: must name created metrics, but '%s' is not", name))
			}
		}
	}
	return r, errors.Join(problems...)
}

// outcomeBatch collects the samples of one outcome; all share one time and base tags.
type outcomeBatch struct {
	r    *outcomeRecorder
	tags metrics.TagsAndMeta
	now  time.Time
	out  metrics.Samples
}

func (b *outcomeBatch) add(m *metrics.Metric, value float64) {
	b.out = append(b.out, metrics.Sample{TimeSeries: metrics.TimeSeries{Metric: m, Tags: b.tags.Tags}, Time: b.now, Metadata: b.tags.Metadata, Value: value})
}

func (b *outcomeBatch) addTagged(m *metrics.Metric, value float64, key, tagValue string) {
	b.out = append(b.out, metrics.Sample{TimeSeries: metrics.TimeSeries{Metric: m, Tags: b.tags.Tags.With(key, tagValue)}, Time: b.now, Metadata: b.tags.Metadata, Value: value})
}

// trend is samplesOf's trend(): finite values only, then the genload_samples count when counted.
func (b *outcomeBatch) trend(m *metrics.Metric, value float64, present bool) {
	if !present || math.IsNaN(value) || math.IsInf(value, 0) {
		return
	}
	b.add(m, value)
	if b.r.countAll || b.r.counted[m] {
		b.addTagged(b.r.m.samples, 1, b.r.tagMetricName, m.Name)
	}
}

// number reads an optional numeric property: absent or undefined is "not set".
func number(o *sobek.Object, key string) (float64, bool) {
	v := o.Get(key)
	if v == nil || sobek.IsUndefined(v) {
		return 0, false
	}
	return v.ToFloat(), true
}

// record implements recorder.record(outcome, perRequest, tags).
func (r *outcomeRecorder) record(call sobek.FunctionCall) sobek.Value {
	rt := r.gi.vu.Runtime()
	state := r.gi.vu.State()
	if state == nil {
		common.Throw(rt, errRecordInInitContext)
	}
	o := call.Argument(0).ToObject(rt)
	b := outcomeBatch{r: r, tags: state.Tags.GetCurrentValues(), now: time.Now(), out: make(metrics.Samples, 0, 16)}
	if err := common.ApplyCustomUserTags(rt, &b.tags, call.Argument(2)); err != nil {
		common.Throw(rt, fmt.Errorf("genload.outcomeRecorder: cannot add tags: %w", err))
	}
	m := &r.m
	ok := o.Get("ok").ToBoolean()
	e2e := o.Get("e2eMs").ToFloat()
	ttft, hasTTFT := number(o, "ttftMs")
	outTokens, hasOutTokens := number(o, "outputTokens")
	steps, hasSteps := number(o, "steps")
	server := o.Get("server").ToObject(rt)
	queue, hasQueue := number(server, "queueMs")
	total, hasTotal := number(server, "totalMs")
	serverStep, hasServerStep := number(server, "stepMs")

	// derived(): TPOT and per-step latency
	tpot, hasTPOT := 0.0, false
	if hasTTFT && hasOutTokens && outTokens > 1 {
		tpot, hasTPOT = (e2e-ttft)/(outTokens-1), true
	}
	step, hasStep := serverStep, hasServerStep
	if !hasServerStep && hasSteps && steps > 0 {
		step, hasStep = e2e/steps, true
	}

	good := ok
	if limits := call.Argument(1); good && !common.IsNullish(limits) {
		good = goodRequest(limits.ToObject(rt), e2e, ttft, hasTTFT, tpot, hasTPOT, step, hasStep)
	}
	b.add(m.requests, 1)
	b.add(m.errorRate, boolValue(!ok))
	b.add(m.goodputRatio, boolValue(good))
	if good {
		b.add(m.goodRequests, 1)
	}
	if !ok {
		class := "protocol"
		if v := o.Get("errorClass"); v != nil && !sobek.IsUndefined(v) && !sobek.IsNull(v) {
			class = v.String()
		}
		b.addTagged(m.errors, 1, r.tagErrorClass, class)
		b.push(r.gi)
		return sobek.Undefined()
	}
	b.trend(m.e2e, e2e, true)
	b.trend(m.ttft, ttft, hasTTFT)
	if v := o.Get("itlMs"); v != nil && !sobek.IsUndefined(v) {
		gaps := v.ToObject(rt)
		if n := gaps.Get("length").ToInteger(); n > 0 {
			for i := int64(0); i < n; i++ {
				b.add(m.itl, gaps.Get(strconv.FormatInt(i, 10)).ToFloat())
			}
			if r.countAll || r.counted[m.itl] {
				b.addTagged(m.samples, float64(n), r.tagMetricName, m.itl.Name)
			}
		}
	}
	b.trend(m.tpot, tpot, hasTPOT)
	if hasOutTokens {
		b.add(m.outputTokens, outTokens)
		if e2e > 0 && outTokens > 0 {
			b.trend(m.tokensPerS, outTokens/(e2e/1000), true)
		}
	}
	if v, has := number(o, "promptTokens"); has {
		b.add(m.promptTokens, v)
	}
	if v, has := number(o, "images"); has {
		b.add(m.images, v)
	}
	b.trend(m.step, step, hasStep)
	b.trend(m.serverQueue, queue, hasQueue)
	b.trend(m.serverInference, math.Max(0, total-queue), hasTotal && hasQueue) // inferenceMs()
	denoise, hasDenoise := number(server, "denoiseMs")
	b.trend(m.serverDenoise, denoise, hasDenoise)
	b.trend(m.serverTotal, total, hasTotal)
	b.trend(m.clientOverhead, e2e-total, hasTotal)
	b.push(r.gi)
	return sobek.Undefined()
}

func (b *outcomeBatch) push(gi *GenloadInstance) {
	metrics.PushIfNotDone(gi.vu.Context(), gi.vu.State().Samples, b.out)
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// goodRequest is lib/shared/slo/goodput.ts's goodRequest for a successful
// request: every limit set must be met; a limit on a latency this request did
// not measure fails it. Comparisons as in JavaScript (NaN is never over a limit).
func goodRequest(limits *sobek.Object, e2e, ttft float64, hasTTFT bool, tpot float64, hasTPOT bool, step float64, hasStep bool) bool {
	for _, l := range [...]struct {
		key   string
		value float64
		has   bool
	}{{"e2eMs", e2e, true}, {"ttftMs", ttft, hasTTFT}, {"tpotMs", tpot, hasTPOT}, {"stepMs", step, hasStep}} {
		limit, set := number(limits, l.key)
		if !set {
			continue
		}
		if !l.has || l.value > limit {
			return false
		}
	}
	return true
}
