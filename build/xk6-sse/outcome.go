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
	rt, spec := gi.initArgument(call, "genload.outcomeRecorder", "{trend, counter, rate, tag, counted}")
	r, err := newOutcomeRecorder(gi, rt, spec)
	if err != nil {
		common.Throw(rt, err)
	}
	return methods(rt, map[string]func(sobek.FunctionCall) sobek.Value{"record": r.record})
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
func (b *outcomeBatch) trend(m *metrics.Metric, o opt) {
	if !o.set || math.IsNaN(o.v) || math.IsInf(o.v, 0) {
		return
	}
	b.add(m, o.v)
	if b.r.countAll || b.r.counted[m] {
		b.addTagged(b.r.m.samples, 1, b.r.tagMetricName, m.Name)
	}
}

// opt is an optional number: absent or undefined is "not set".
type opt struct {
	v   float64
	set bool
}

// outcomeValues is what the recorder reads of an Outcome (lib/k6/targets/types.ts).
type outcomeValues struct {
	ok                                           bool
	errorClass                                   string // of a failure; "" reads as "protocol"
	e2e                                          float64
	ttft, outTokens, steps, promptTokens, images opt
	itl                                          []float64 // nil: no itlMs array
	queue, total, serverStep, denoise            opt       // the server timings used
}

// requestLimits is PerRequestLimits of lib/shared/slo/schema.ts.
type requestLimits struct{ e2e, ttft, tpot, step opt }

// number reads an optional numeric property: absent or undefined is "not set".
func number(o *sobek.Object, key string) opt {
	v := o.Get(key)
	if v == nil || sobek.IsUndefined(v) {
		return opt{}
	}
	return opt{v.ToFloat(), true}
}

func limitsOf(rt *sobek.Runtime, v sobek.Value) *requestLimits {
	if common.IsNullish(v) {
		return nil
	}
	o := v.ToObject(rt)
	return &requestLimits{e2e: number(o, "e2eMs"), ttft: number(o, "ttftMs"), tpot: number(o, "tpotMs"), step: number(o, "stepMs")}
}

// valuesOf reads an Outcome object.
func valuesOf(rt *sobek.Runtime, o *sobek.Object) outcomeValues {
	ov := outcomeValues{ok: o.Get("ok").ToBoolean(), e2e: o.Get("e2eMs").ToFloat()}
	if !ov.ok {
		if v := o.Get("errorClass"); v != nil && !sobek.IsUndefined(v) && !sobek.IsNull(v) {
			ov.errorClass = v.String()
		}
	}
	ov.ttft, ov.outTokens, ov.steps = number(o, "ttftMs"), number(o, "outputTokens"), number(o, "steps")
	ov.promptTokens, ov.images = number(o, "promptTokens"), number(o, "images")
	if v := o.Get("itlMs"); v != nil && !sobek.IsUndefined(v) {
		gaps := v.ToObject(rt)
		n := gaps.Get("length").ToInteger()
		ov.itl = make([]float64, 0, max(n, 0))
		for i := int64(0); i < n; i++ {
			ov.itl = append(ov.itl, gaps.Get(strconv.FormatInt(i, 10)).ToFloat())
		}
	}
	server := o.Get("server").ToObject(rt)
	ov.queue, ov.total = number(server, "queueMs"), number(server, "totalMs")
	ov.serverStep, ov.denoise = number(server, "stepMs"), number(server, "denoiseMs")
	return ov
}

// record implements recorder.record(outcome, perRequest, tags).
func (r *outcomeRecorder) record(call sobek.FunctionCall) sobek.Value {
	rt, state := r.gi.runState("outcomeRecorder.record")
	ov := valuesOf(rt, call.Argument(0).ToObject(rt))
	tags := state.Tags.GetCurrentValues()
	if err := common.ApplyCustomUserTags(rt, &tags, call.Argument(2)); err != nil {
		common.Throw(rt, fmt.Errorf("genload.outcomeRecorder: cannot add tags: %w", err))
	}
	r.recordValues(&ov, limitsOf(rt, call.Argument(1)), tags)
	return sobek.Undefined()
}

// recordValues adds one outcome's samples, all with the given tags, as one container.
func (r *outcomeRecorder) recordValues(ov *outcomeValues, limits *requestLimits, tags metrics.TagsAndMeta) {
	b := outcomeBatch{r: r, tags: tags, now: time.Now(), out: make(metrics.Samples, 0, 16)}
	m := &r.m
	e2e := ov.e2e
	// derived(): TPOT and per-step latency
	tpot := opt{}
	if ov.ttft.set && ov.outTokens.set && ov.outTokens.v > 1 {
		tpot = opt{(e2e - ov.ttft.v) / (ov.outTokens.v - 1), true}
	}
	step := ov.serverStep
	if !step.set && ov.steps.set && ov.steps.v > 0 {
		step = opt{e2e / ov.steps.v, true}
	}

	good := ov.ok
	if good && limits != nil {
		good = goodRequest(limits, e2e, ov.ttft, tpot, step)
	}
	b.add(m.requests, 1)
	b.add(m.errorRate, boolValue(!ov.ok))
	b.add(m.goodputRatio, boolValue(good))
	if good {
		b.add(m.goodRequests, 1)
	}
	if !ov.ok {
		class := ov.errorClass
		if class == "" {
			class = "protocol"
		}
		b.addTagged(m.errors, 1, r.tagErrorClass, class)
		b.push(r.gi)
		return
	}
	b.trend(m.e2e, opt{e2e, true})
	b.trend(m.ttft, ov.ttft)
	if n := len(ov.itl); n > 0 {
		for _, gap := range ov.itl {
			b.add(m.itl, gap)
		}
		if r.countAll || r.counted[m.itl] {
			b.addTagged(m.samples, float64(n), r.tagMetricName, m.itl.Name)
		}
	}
	b.trend(m.tpot, tpot)
	if ov.outTokens.set {
		b.add(m.outputTokens, ov.outTokens.v)
		if e2e > 0 && ov.outTokens.v > 0 {
			b.trend(m.tokensPerS, opt{ov.outTokens.v / (e2e / 1000), true})
		}
	}
	if ov.promptTokens.set {
		b.add(m.promptTokens, ov.promptTokens.v)
	}
	if ov.images.set {
		b.add(m.images, ov.images.v)
	}
	b.trend(m.step, step)
	b.trend(m.serverQueue, ov.queue)
	b.trend(m.serverInference, opt{math.Max(0, ov.total.v-ov.queue.v), ov.total.set && ov.queue.set}) // inferenceMs()
	b.trend(m.serverDenoise, ov.denoise)
	b.trend(m.serverTotal, ov.total)
	b.trend(m.clientOverhead, opt{e2e - ov.total.v, ov.total.set})
	b.push(r.gi)
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
func goodRequest(limits *requestLimits, e2e float64, ttft, tpot, step opt) bool {
	for _, l := range [...]struct{ limit, value opt }{{limits.e2e, opt{e2e, true}}, {limits.ttft, ttft}, {limits.tpot, tpot}, {limits.step, step}} {
		if !l.limit.set {
			continue
		}
		if !l.value.set || l.value.v > l.limit.v {
			return false
		}
	}
	return true
}
