package genload

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/grafana/sobek"

	"go.k6.io/k6/js/common"
	"go.k6.io/k6/metrics"
)

// outcomeRecorder turns one request's outcome into its metric samples, with
// genload's recording rules, plus the per-request
// token samples and the ITL bound below, and pushes them as one container.
// The metric and tag names come from the script (lib/shared/metrics.ts), so
// only the rules live here.
type outcomeRecorder struct {
	gi *ModuleInstance
	m  outcomeMetrics
	// tag names: error class of a failure, Trend name of a genload_samples count
	tagErrorClass, tagMetricName string
	// Trends whose samples are counted in genload_samples (see countedTrends);
	// countAll when the script gave no list (every Trend counted)
	counted  map[*metrics.Metric]bool
	countAll bool
	// itlPerRequest: one ITL sample per request (its mean gap) instead of one per gap
	itlPerRequest bool
	itlFile       *gapWriter // nil: the gaps are not written
}

type outcomeMetrics struct {
	requests, outputTokens, promptTokens, images, goodRequests, errors, samples *metrics.Metric
	errorRate, goodputRatio                                                     *metrics.Metric
	e2e, ttft, itl, tpot, tokensPerS, step                                      *metrics.Metric
	serverQueue, serverInference, serverDenoise, serverTotal, clientOverhead    *metrics.Metric
	// optional (nil: not recorded): per-request token accuracy, and the start lag send is given
	inputTokenErrorRatio, outputTokenErrorRatio, outputShort, startLag *metrics.Metric
	// optional: the server's own prefill / decode split of an llm request and its prompt cache
	serverPrefill, serverDecode, queueNetwork, promptCached, promptCacheOf *metrics.Metric
}

func newOutcomeRecorder(gi *ModuleInstance, rt *sobek.Runtime, spec *sobek.Object) (*outcomeRecorder, error) {
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
	optional := false
	metric := func(t *sobek.Object, table, key string) *metrics.Metric {
		v := t.Get(key)
		if common.IsNullish(v) {
			if !optional {
				problems = append(problems, fmt.Errorf("%s.%s: must name a metric, but is missing", table, key))
			}
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
	optional = true
	r.m.inputTokenErrorRatio = metric(trend, "trend", "inputTokenErrorRatio")
	r.m.outputTokenErrorRatio = metric(trend, "trend", "outputTokenErrorRatio")
	r.m.outputShort = metric(rate, "rate", "outputShort")
	r.m.startLag = metric(trend, "trend", "startLagMs")
	r.m.serverPrefill = metric(trend, "trend", "serverPrefillMs")
	r.m.serverDecode = metric(trend, "trend", "serverDecodeMs")
	r.m.queueNetwork = metric(trend, "trend", "queueNetworkMs")
	r.m.promptCached = metric(counter, "counter", "promptCachedTokens")
	r.m.promptCacheOf = metric(counter, "counter", "promptCacheReportedTokens")
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

// trend records finite values only, then the genload_samples count when counted.
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

// outcome is what one request measured.
type outcome struct {
	class                                  int // classLLM or classImage
	ok                                     bool
	status                                 int
	errorClass                             string // of a failure
	errText                                string // of a failure, for logs
	e2e                                    float64
	ttft                                   opt
	itl                                    []float64 // gaps between token-carrying events, ms
	outTokens, promptTokens, images, steps opt
	cachedTokens                           opt // usage.prompt_tokens_details.cached_tokens
	server                                 serverTimings
}

// requestLimits is PerRequestLimits of lib/shared/slo/schema.ts.
type requestLimits struct{ e2e, ttft, tpot, step opt }

// record adds one outcome's samples, all with the given tags, as one
// container; req is the request line (requested token counts), stage its stage.
func (r *outcomeRecorder) record(ov *outcome, req *workRequest, index int, stage string, limits *requestLimits, tags metrics.TagsAndMeta) {
	b := outcomeBatch{r: r, tags: tags, now: time.Now(), out: make(metrics.Samples, 0, 16)}
	m := &r.m
	e2e := ov.e2e
	// derived(): TPOT and per-step latency
	tpot := opt{}
	if ov.ttft.set && ov.outTokens.set && ov.outTokens.v > 1 {
		tpot = opt{(e2e - ov.ttft.v) / (ov.outTokens.v - 1), true}
	}
	step := ov.server.get("step")
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
	r.addITL(&b, ov.itl, index, stage)
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
	queue, total := ov.server.get("queue"), ov.server.get("total")
	b.trend(m.serverQueue, queue)
	b.trend(m.serverInference, opt{math.Max(0, total.v-queue.v), total.set && queue.set}) // inferenceMs()
	b.trend(m.serverDenoise, ov.server.get("denoise"))
	b.trend(m.serverTotal, total)
	b.trend(m.clientOverhead, opt{e2e - total.v, total.set})
	if ov.class == classLLM {
		r.addTokenAccuracy(&b, ov, req)
		r.addServerSplit(&b, ov)
	}
	b.push(r.gi)
}

// addITL records the gaps: one sample per gap ('token'), or their mean
// ('request'), whose exact gaps then go to the raw file when there is one.
func (r *outcomeRecorder) addITL(b *outcomeBatch, gaps []float64, index int, stage string) {
	n := len(gaps)
	if n == 0 {
		return
	}
	if r.itlPerRequest {
		sum := 0.0
		for _, gap := range gaps {
			sum += gap
		}
		b.trend(r.m.itl, opt{sum / float64(n), true})
		if r.itlFile != nil {
			if err := r.itlFile.write(index, stage, gaps); err != nil {
				r.gi.vu.State().Logger.WithError(err).Warnf("genload: writing the ITL gaps to %s failed; later gaps are not written", r.itlFile.path)
			}
		}
		return
	}
	for _, gap := range gaps {
		b.add(r.m.itl, gap)
	}
	if r.countAll || r.counted[r.m.itl] {
		b.addTagged(r.m.samples, float64(n), r.tagMetricName, r.m.itl.Name)
	}
}

// addTokenAccuracy compares what a successful llm request got with what its
// line asked for: (actual − requested) / requested for output tokens (when
// the outcome counted them) and prompt tokens (when the server sent
// prompt_tokens), and whether the output came out short.
func (r *outcomeRecorder) addTokenAccuracy(b *outcomeBatch, ov *outcome, req *workRequest) {
	m := &r.m
	if want := req.outputTokens; want.set && want.v > 0 && ov.outTokens.set {
		if m.outputTokenErrorRatio != nil {
			b.trend(m.outputTokenErrorRatio, opt{(ov.outTokens.v - want.v) / want.v, true})
		}
		if m.outputShort != nil {
			b.add(m.outputShort, boolValue(ov.outTokens.v < want.v))
		}
	}
	if want := req.inputTokens; m.inputTokenErrorRatio != nil && want.set && want.v > 0 && ov.promptTokens.set {
		b.trend(m.inputTokenErrorRatio, opt{(ov.promptTokens.v - want.v) / want.v, true})
	}
}

// addServerSplit records an llm request's time as the server split it
// (prefill, decode: the reference server's Server-Timing or llama.cpp's
// timings), the rest of its e2e (queue + network + client), and how many of
// its prompt tokens came from the server's prompt cache. Nothing is recorded
// for what the server did not report (a report says "not reported", not 0).
func (r *outcomeRecorder) addServerSplit(b *outcomeBatch, ov *outcome) {
	m := &r.m
	prefill, decode := ov.server.get("prefill"), ov.server.get("decode")
	if m.serverPrefill != nil {
		b.trend(m.serverPrefill, prefill)
	}
	if m.serverDecode != nil {
		b.trend(m.serverDecode, decode)
	}
	if m.queueNetwork != nil && prefill.set && decode.set {
		b.trend(m.queueNetwork, opt{math.Max(0, ov.e2e-prefill.v-decode.v), true})
	}
	if cached, total := promptCache(ov); cached.set && m.promptCached != nil && m.promptCacheOf != nil {
		b.add(m.promptCached, cached.v)
		b.add(m.promptCacheOf, total.v)
	}
}

// startLag records how late a request left its planned arrival, under stage-only
// tags (the load generator's figure, not a class's), in its own container.
func (r *outcomeRecorder) startLag(lagMs float64, tags metrics.TagsAndMeta) {
	if r.m.startLag == nil || math.IsNaN(lagMs) || math.IsInf(lagMs, 0) {
		return
	}
	b := outcomeBatch{r: r, tags: tags, now: time.Now(), out: make(metrics.Samples, 0, 1)}
	b.add(r.m.startLag, lagMs)
	b.push(r.gi)
}

func (b *outcomeBatch) push(gi *ModuleInstance) {
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
