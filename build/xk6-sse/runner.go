package sse

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/grafana/sobek"

	"go.k6.io/k6/js/common"
	"go.k6.io/k6/lib"
	"go.k6.io/k6/lib/netext/httpext"
	"go.k6.io/k6/lib/types"
	"go.k6.io/k6/metrics"
)

// nativeRunner is one request of a genload iteration done entirely in Go:
// sample the work item (workload.go), fill the body template the script
// derived from its target and checked (template.go), send it through k6's
// httpext like genload.request, and, for a complete OpenAI completion,
// record the Outcome's samples (outcome.go) without any JavaScript object.
// Anything else (a class without a template, a failure, an answer the scan
// does not read) goes back to the script with the work item and the reply,
// and the target's own code finishes it (lib/k6/run/native.ts).
type nativeRunner struct {
	gi   *GenloadInstance
	seed float64
	pool promptPool
	// plainPool: the pool text needs no JSON escaping, so no prompt (a window of it) does
	plainPool bool
	workload  workloadSpec
	recipes   [2]*recipe // [llm, image]; nil: the script sends that class
	limits    [2]*requestLimits
	recorder  *outcomeRecorder
	// tag names of stage and class, and the tag sets built per base tags × stage × class
	tagStage, tagClass string
	tags               map[tagKey]*metrics.TagSet
}

type tagKey struct {
	base  *metrics.TagSet
	stage string
	llm   bool
}

// recipe is one class's request: everything but the body is fixed for a run.
type recipe struct {
	method   string
	url      httpext.URL
	headers  map[string]string
	host     string
	timeout  time.Duration
	template bodyTemplate
	// header is User-Agent plus headers, built at the first request (the VU's options are only known then)
	header http.Header
}

const classLLM, classImage = 0, 1

// runnerFactory implements genload.runner(spec) (init context only), spec:
//
//	{seed, pool: {text, starts}, workload: {promptSet, maxTokens, maxTokensDist, maxPromptChars, stream, sizes, steps},
//	 recipes: {llm?, image?: {method, url, headers, timeoutMs, answer, literals, holes}},
//	 perRequest: {llm?, image?}, metrics: {trend, counter, rate, tag, counted}}
//
// and returns {next(phaseIndex, requestKey, llmShare, stage), work(phaseIndex, requestKey, llmShare), body(work)}.
func (gi *GenloadInstance) runnerFactory(call sobek.FunctionCall) sobek.Value {
	rt, spec := gi.initArgument(call, "genload.runner", "{seed, pool, workload, recipes, perRequest, metrics}")
	n, err := newNativeRunner(gi, rt, spec)
	if err != nil {
		common.Throw(rt, err)
	}
	return methods(rt, map[string]func(sobek.FunctionCall) sobek.Value{"next": n.next, "work": n.work, "body": n.body})
}

func newNativeRunner(gi *GenloadInstance, rt *sobek.Runtime, spec *sobek.Object) (*nativeRunner, error) {
	var problems []error
	object := func(o *sobek.Object, key, path string) *sobek.Object {
		v := o.Get(key)
		if common.IsNullish(v) {
			problems = append(problems, fmt.Errorf("%s: must be an object, but is missing", path))
			return rt.NewObject()
		}
		return v.ToObject(rt)
	}
	export := func(v sobek.Value, into any, path string) {
		if err := exportField(rt, v, into, path); err != nil {
			problems = append(problems, err)
		}
	}
	n := &nativeRunner{gi: gi, tags: map[tagKey]*metrics.TagSet{}}
	export(spec.Get("seed"), &n.seed, "seed")
	pool := object(spec, "pool", "pool")
	export(pool.Get("text"), &n.pool.text, "pool.text")
	export(pool.Get("starts"), &n.pool.starts, "pool.starts")
	n.plainPool = plainJSON(n.pool.text)
	if len(n.pool.starts) < 2 {
		problems = append(problems, fmt.Errorf("pool.starts: must list the pool's word offsets, but has %d", len(n.pool.starts)))
	}
	w := object(spec, "workload", "workload")
	export(w.Get("promptSet"), &n.workload.promptSet, "workload.promptSet")
	export(w.Get("maxTokensDist"), &n.workload.maxTokensDist, "workload.maxTokensDist")
	export(w.Get("maxTokens"), &n.workload.maxTokens, "workload.maxTokens")
	export(w.Get("maxPromptChars"), &n.workload.maxPromptChars, "workload.maxPromptChars")
	export(w.Get("stream"), &n.workload.stream, "workload.stream")
	export(w.Get("sizes"), &n.workload.sizes, "workload.sizes")
	export(w.Get("steps"), &n.workload.steps, "workload.steps")
	recipes := object(spec, "recipes", "recipes")
	per := object(spec, "perRequest", "perRequest")
	for i, cls := range [...]string{"llm", "image"} {
		if v := recipes.Get(cls); !common.IsNullish(v) {
			r, err := newRecipe(rt, v.ToObject(rt), "recipes."+cls)
			if err != nil {
				problems = append(problems, err)
			}
			n.recipes[i] = r
		}
		n.limits[i] = limitsOf(rt, per.Get(cls))
	}
	m := object(spec, "metrics", "metrics")
	rec, err := newOutcomeRecorder(gi, rt, m)
	if err != nil {
		problems = append(problems, fmt.Errorf("metrics: %w", err))
	}
	n.recorder = rec
	tag := object(m, "tag", "metrics.tag")
	export(tag.Get("stage"), &n.tagStage, "metrics.tag.stage")
	export(tag.Get("class"), &n.tagClass, "metrics.tag.class")
	return n, errors.Join(problems...)
}

func newRecipe(rt *sobek.Runtime, o *sobek.Object, path string) (*recipe, error) {
	var problems []error
	r := &recipe{timeout: defaultTimeout}
	var rawURL, answer string
	for _, f := range [...]struct {
		key  string
		into *string
	}{{"method", &r.method}, {"url", &rawURL}, {"answer", &answer}} {
		if err := exportField(rt, o.Get(f.key), f.into, path+"."+f.key); err != nil {
			problems = append(problems, err)
		}
	}
	if answer != answerOpenAICompletion { // the only answer the runner reads
		problems = append(problems, fmt.Errorf("%s.answer: must be '%s', but is '%s'", path, answerOpenAICompletion, answer))
	}
	u, err := httpext.ToURL(rawURL)
	if err != nil {
		problems = append(problems, fmt.Errorf("%s.url: %w", path, err))
	}
	r.url = u
	if err := exportField(rt, o.Get("headers"), &r.headers, path+".headers"); err != nil {
		problems = append(problems, err)
	}
	for k, v := range r.headers {
		if strings.EqualFold(k, "host") {
			r.host = v
		}
	}
	if t := o.Get("timeoutMs"); !common.IsNullish(t) {
		d, err := types.GetDurationValue(t.Export())
		if err != nil {
			problems = append(problems, fmt.Errorf("%s.timeoutMs: %w", path, err))
		}
		r.timeout = d
	}
	var literals, holes []string
	if err := exportField(rt, o.Get("literals"), &literals, path+".literals"); err != nil {
		problems = append(problems, err)
	}
	if err := exportField(rt, o.Get("holes"), &holes, path+".holes"); err != nil {
		problems = append(problems, err)
	}
	t, err := newBodyTemplate(literals, holes)
	if err != nil {
		problems = append(problems, fmt.Errorf("%s: %w", path, err))
	}
	r.template = t
	return r, errors.Join(problems...)
}

// exportField exports a required property into a Go value.
func exportField(rt *sobek.Runtime, v sobek.Value, into any, path string) error {
	if common.IsNullish(v) {
		return fmt.Errorf("%s: must be set, but is missing", path)
	}
	if err := rt.ExportTo(v, into); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// sample is runIteration's draw: seededUniform(mixSeed(seed, phaseIndex,
// requestKey)), then sampleClass, then sampleWork.
func (n *nativeRunner) sample(call sobek.FunctionCall) workItem {
	u := uniform{a: mixSeed(n.seed, call.Argument(0).ToFloat(), call.Argument(1).ToFloat())}
	llm := u.next() < call.Argument(2).ToFloat()
	return n.workload.sampleWork(&u, &n.pool, llm)
}

// work implements runner.work(phaseIndex, requestKey, llmShare): the work item as a WorkItem object.
func (n *nativeRunner) work(call sobek.FunctionCall) sobek.Value {
	w := n.sample(call)
	return workToJS(n.gi.vu.Runtime(), &w)
}

// body implements runner.body(work): the body the class's template gives for a WorkItem object.
func (n *nativeRunner) body(call sobek.FunctionCall) sobek.Value {
	rt := n.gi.vu.Runtime()
	w := workFromJS(rt, call.Argument(0).ToObject(rt))
	r := n.recipes[classOf(w.llm)]
	if r == nil {
		return sobek.Undefined()
	}
	return rt.ToValue(string(r.template.fill(rt, &w, false)))
}

func classOf(llm bool) int {
	if llm {
		return classLLM
	}
	return classImage
}

// next implements runner.next(phaseIndex, requestKey, llmShare, stage):
// undefined when the request was sent and recorded here, else {work, reply?}
// for the script: without reply the script sends the work item itself.
func (n *nativeRunner) next(call sobek.FunctionCall) sobek.Value {
	rt, state := n.gi.runState("runner.next")
	w := n.sample(call)
	cls := classOf(w.llm)
	r := n.recipes[cls]
	if r == nil {
		o := rt.NewObject()
		_ = o.Set("work", workToJS(rt, &w))
		return o
	}
	tags := n.tagsFor(state, call.Argument(3).String(), w.llm)
	preq := r.request(state, r.template.fill(rt, &w, n.plainPool), tags)
	res, err := httpext.MakeRequest(n.gi.vu.Context(), state, preq)
	if err != nil {
		common.Throw(rt, err)
	}
	// exchangeJson's scanned path: a whole answer without transport error or failing status
	if res.ErrorCode == 0 && res.Error == "" && res.Status != 0 && res.Status < 400 {
		body, _ := res.Body.(string)
		if usage, ok := scanCompletion(rt, body); ok {
			st, has := headerValue(res.Headers, "Server-Timing")
			timings := parseServerTiming(rt, st, has)
			ov := outcomeValues{ok: true, e2e: float64(res.Timings.Duration), outTokens: opt{usage.completionTokens, true}, promptTokens: opt{usage.promptTokens, true}}
			ov.queue, ov.total, ov.serverStep, ov.denoise = timings.get("queue"), timings.get("total"), timings.get("step"), timings.get("denoise")
			n.recorder.recordValues(&ov, n.limits[cls], tags)
			return sobek.Undefined()
		}
	}
	o := rt.NewObject()
	_ = o.Set("work", workToJS(rt, &w))
	// completion null: the scan above did not accept the body, or the request
	// failed (then the target does not read it); no second scan
	_ = o.Set("reply", replyToJS(rt, res, sobek.Null()))
	return o
}

// tagsFor is the VU's current tags with stage and class: what
// ApplyCustomUserTags(tags of requestContext) gives. The tag set is built once
// per base tags × stage × class; the metadata is the VU's fresh copy each time.
func (n *nativeRunner) tagsFor(state *lib.State, stage string, llm bool) metrics.TagsAndMeta {
	base := state.Tags.GetCurrentValues()
	key := tagKey{base: base.Tags, stage: stage, llm: llm}
	tags, ok := n.tags[key]
	if !ok {
		tags = base.Tags.With(n.tagStage, stage).With(n.tagClass, classNames[classOf(llm)])
		n.tags[key] = tags
	}
	return metrics.TagsAndMeta{Tags: tags, Metadata: base.Metadata}
}

var classNames = [...]string{"llm", "image"}

// request builds the request genload.request would for this recipe and body.
func (r *recipe) request(state *lib.State, body []byte, tags metrics.TagsAndMeta) *httpext.ParsedHTTPRequest {
	if r.header == nil {
		r.header = http.Header{"User-Agent": {state.Options.UserAgent.String}}
		for k, v := range r.headers {
			r.header.Set(k, v)
		}
	}
	preq := baseRequest(state, r.method, r.url, tags, r.header.Clone())
	if r.host != "" {
		preq.Req.Host = r.host
	}
	preq.Body = bytes.NewBuffer(body)
	preq.Timeout = r.timeout
	attachCookies(state, preq)
	return preq
}

func workToJS(rt *sobek.Runtime, w *workItem) sobek.Value {
	o := rt.NewObject()
	if w.llm {
		_ = o.Set("class", "llm")
		_ = o.Set("prompt", w.prompt)
		_ = o.Set("promptWords", w.promptWords)
		_ = o.Set("maxTokens", w.maxTokens)
		_ = o.Set("stream", w.stream)
		_ = o.Set("seed", w.seed)
		return o
	}
	_ = o.Set("class", "image")
	_ = o.Set("prompt", w.prompt)
	_ = o.Set("sizePx", w.sizePx)
	_ = o.Set("steps", w.steps)
	_ = o.Set("seed", w.seed)
	return o
}

func workFromJS(rt *sobek.Runtime, o *sobek.Object) workItem {
	f := func(k string) float64 { return number(o, k).v }
	w := workItem{llm: o.Get("class").String() == "llm", prompt: o.Get("prompt").String(), seed: f("seed")}
	if w.llm {
		w.promptWords, w.maxTokens, w.stream = f("promptWords"), f("maxTokens"), o.Get("stream").ToBoolean()
	} else {
		w.sizePx, w.steps = f("sizePx"), f("steps")
	}
	return w
}
