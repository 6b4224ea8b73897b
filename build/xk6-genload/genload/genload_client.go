package genload

import (
	"fmt"

	"github.com/grafana/sobek"

	"go.k6.io/k6/js/common"
	"go.k6.io/k6/lib"
	"go.k6.io/k6/metrics"

	"github.com/genload/xk6-genload/internal/eventstream"
)

// genloadClient is genload.client(spec): one VU's sender of workload
// requests. send picks a request line, sends its body on the route of its
// class (or as a job), reads the answer and records the outcome's samples.
type genloadClient struct {
	gi       *ModuleInstance
	store    *workloadStore
	routes   map[string]*route
	job      *jobRoute
	limits   [2]*requestLimits // per class
	recorder *outcomeRecorder
	// tag names of stage and class, and the tag sets built per base tags × stage × class
	tagStage, tagClass string
	tags               map[tagKey]*metrics.TagSet
	readBuf            []byte // one stream read, reused by this VU's streams
}

type tagKey struct {
	base  *metrics.TagSet
	stage string
	class int
}

var clientSpecKeys = []string{"workload", "api", "routes", "job", "perRequest", "metrics", "itlSamples", "itlFile"}

// clientFactory implements genload.client(spec) (init context only), spec:
//
//	{workload, api?, routes: {llm?, 'llm-stream'?, image?: {method, url, headers, timeoutMs, answer}},
//	 job?: {submitUrl, pollUrl, pollIntervalMs, headers, timeoutMs}, perRequest: {llm?, image?},
//	 metrics: {trend, counter, rate, tag, counted}, itlSamples?: 'token' | 'request', itlFile?}
//
// and returns {send(index, stage, startLagMs?)}.
func (gi *ModuleInstance) clientFactory(call sobek.FunctionCall) sobek.Value {
	rt, spec := gi.initArgument(call, "genload.client", "{workload, routes, job, perRequest, metrics}")
	c, err := gi.newClient(rt, spec)
	if err != nil {
		common.Throw(rt, err)
	}
	return methods(rt, map[string]func(sobek.FunctionCall) sobek.Value{"send": c.send})
}

func (gi *ModuleInstance) newClient(rt *sobek.Runtime, spec *sobek.Object) (*genloadClient, error) {
	sr := &specReader{rt: rt}
	sr.object(spec, "spec", clientSpecKeys...)
	c := &genloadClient{gi: gi, routes: map[string]*route{}, tags: map[tagKey]*metrics.TagSet{}}
	wl, _ := spec.Get("workload").(*sobek.Object)
	c.store = gi.storeOf[wl]
	if c.store == nil {
		sr.add("workload: must be what genload.workload(path) returned, but is %s", spec.Get("workload").String())
	}
	if api := spec.Get("api"); !common.IsNullish(api) && c.store != nil && api.String() != c.store.api {
		sr.add("api: the workload file %s was built for api '%s', but this run's api is '%s'", c.store.path, c.store.api, api.String())
	}
	if routes := sr.object(spec.Get("routes"), "routes", routeKeys...); routes != nil {
		for _, key := range routeKeys {
			if r := sr.route(routes.Get(key), "routes."+key); r != nil {
				sr.checkAnswer(r, key)
				c.routes[key] = r
			}
		}
	}
	c.job = sr.job(spec.Get("job"))
	if c.store != nil {
		sr.checkCoverage(c.store, c.routes, c.job)
	}
	if per := sr.object(spec.Get("perRequest"), "perRequest", classNames[:]...); per != nil {
		for cls, name := range classNames {
			c.limits[cls] = sr.limits(per.Get(name), "perRequest."+name)
		}
	}
	m := sr.object(spec.Get("metrics"), "metrics", "trend", "counter", "rate", "tag", "counted")
	if m == nil {
		sr.add("metrics: must be the name tables {trend, counter, rate, tag, counted}, but is missing")
		return c, sr.err()
	}
	rec, err := newOutcomeRecorder(gi, rt, m)
	if err != nil {
		sr.add("metrics: %v", err)
	}
	c.recorder = rec
	if tag := sr.object(m.Get("tag"), "metrics.tag"); tag != nil {
		c.tagStage, c.tagClass = sr.str(tag, "stage", "metrics.tag"), sr.str(tag, "class", "metrics.tag")
	}
	sr.itlMode(spec, rec)
	return c, sr.err()
}

// itlMode reads itlSamples ('token', the default, or 'request') and itlFile.
func (sr *specReader) itlMode(spec *sobek.Object, rec *outcomeRecorder) {
	mode := "token"
	if v := spec.Get("itlSamples"); !common.IsNullish(v) {
		mode = v.String()
	}
	switch mode {
	case "token":
	case "request":
		rec.itlPerRequest = true
	default:
		sr.add("itlSamples: must be one of token, request, but is '%s'", mode)
	}
	v := spec.Get("itlFile")
	if common.IsNullish(v) {
		return
	}
	if mode != "request" {
		sr.add("itlFile: is written only with itlSamples: 'request', but itlSamples is '%s'", mode)
		return
	}
	rec.itlFile = gapWriterFor(v.String(), rec.gi.vu.Events())
}

// send implements client.send(index, stage, startLagMs?): the start lag, when
// given, is recorded first under stage-only tags; then undefined when the request
// succeeded (or the test stopped during it: nothing is recorded then), else
// {class, errorClass, error} for logs. Its samples are recorded either way.
func (c *genloadClient) send(call sobek.FunctionCall) sobek.Value {
	rt, state := c.gi.runState("client.send")
	f := call.Argument(0).ToFloat()
	if f != float64(int(f)) || f < 0 || int(f) >= len(c.store.requests) {
		common.Throw(rt, fmt.Errorf("client.send: the index must be an integer in [0, %d), but is %s", len(c.store.requests), call.Argument(0).String()))
	}
	index := int(f)
	req := &c.store.requests[index]
	stage := call.Argument(1).String()
	if lag := call.Argument(2); !common.IsNullish(lag) {
		c.recorder.startLag(lag.ToFloat(), c.tagsFor(state, stage, noClass))
	}
	tags := c.tagsFor(state, stage, req.class)
	o := outcome{class: req.class}
	var sent bool
	switch {
	case c.job != nil:
		sent = c.sendJob(state, req, tags, &o)
	case req.class == classLLM && req.stream:
		sent = c.sendStream(state, c.routes[routeLLMStream], req, tags, &o)
	default:
		sent = c.sendJSON(state, c.routes[routeKeyOf(req)], req, tags, &o)
	}
	if !sent {
		return sobek.Undefined()
	}
	c.recorder.record(&o, req, index, stage, c.limits[req.class], tags)
	if o.ok {
		return sobek.Undefined()
	}
	res := rt.NewObject()
	_ = res.Set("class", c.gi.classValues[req.class])
	_ = res.Set("errorClass", o.errorClass)
	_ = res.Set("error", o.errText)
	return res
}

// noClass asks tagsFor for the stage tag only (the start lag: the load generator's, not a class's).
const noClass = -1

// tagsFor is the VU's current tags with stage and class (class noClass: stage only). The tag set is built
// once per base tags × stage × class; the metadata is the VU's fresh copy each time.
func (c *genloadClient) tagsFor(state *lib.State, stage string, class int) metrics.TagsAndMeta {
	base := state.Tags.GetCurrentValues()
	key := tagKey{base: base.Tags, stage: stage, class: class}
	tags, ok := c.tags[key]
	if !ok {
		tags = base.Tags.With(c.tagStage, stage)
		if class != noClass {
			tags = tags.With(c.tagClass, classNames[class])
		}
		c.tags[key] = tags
	}
	return metrics.TagsAndMeta{Tags: tags, Metadata: base.Metadata}
}

// classifyFailure gives the error class: "" for a 1xx-3xx answer
// without transport error; 429 and 503 are load shedding.
func classifyFailure(status, errorCode int) string {
	switch {
	case status == 429 || status == 503:
		return "shed"
	case status >= 500:
		return "5xx"
	case status >= 400:
		return "4xx"
	case status == 0 && errorCode == eventstream.CodeRequestTimeout:
		return "timeout"
	case status == 0:
		return "connection"
	case errorCode == eventstream.CodeRequestTimeout:
		return "timeout"
	}
	return ""
}
