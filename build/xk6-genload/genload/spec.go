package genload

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/grafana/sobek"

	"go.k6.io/k6/js/common"
	"go.k6.io/k6/lib/netext/httpext"
)

// genload.client(spec): the spec is checked once, in the init context, and
// every problem is reported in one error.

// route is how one kind of request line is sent and its answer read.
type route struct {
	method, rawURL string
	url            httpext.URL
	headers        map[string]string
	host           string // a Host header given in headers
	timeout        time.Duration
	answerName     string
	answer         answerKind
	header         http.Header // see httpHeader
}

// jobRoute is the reference server's job API (mode job).
type jobRoute struct {
	submit       route // POST submitUrl
	poll         route // GET pollUrl + id
	pollInterval time.Duration
	timeoutMs    float64
}

// Route keys: a request line's class and, for llm, stream.
const (
	routeLLM       = "llm"
	routeLLMStream = "llm-stream"
	routeImage     = "image"
)

var routeKeys = []string{routeLLM, routeLLMStream, routeImage}

func routeKeyOf(r *workRequest) string {
	switch {
	case r.class == classImage:
		return routeImage
	case r.stream:
		return routeLLMStream
	default:
		return routeLLM
	}
}

// specReader reads a spec object, collecting problems with their paths.
type specReader struct {
	rt       *sobek.Runtime
	problems []string
}

func (sr *specReader) add(format string, args ...any) {
	sr.problems = append(sr.problems, fmt.Sprintf(format, args...))
}

// object reads an object, rejecting keys not in known; nil when absent.
func (sr *specReader) object(v sobek.Value, path string, known ...string) *sobek.Object {
	if common.IsNullish(v) {
		return nil
	}
	if _, ok := v.(*sobek.Object); !ok {
		sr.add("%s: must be an object, but is %s", path, v.String())
		return nil
	}
	o := v.ToObject(sr.rt)
	if known != nil {
		for _, k := range o.Keys() {
			if !contains(known, k) {
				sr.add("%s.%s: is not a known key; valid keys are %s", path, k, strings.Join(known, ", "))
			}
		}
	}
	return o
}

func (sr *specReader) str(o *sobek.Object, key, path string) string {
	v := o.Get(key)
	if common.IsNullish(v) {
		sr.add("%s.%s: must be a string, but is missing", path, key)
		return ""
	}
	if _, ok := v.Export().(string); !ok {
		sr.add("%s.%s: must be a string, but is %s", path, key, v.String())
	}
	return v.String()
}

// positive reads a positive finite number (milliseconds).
func (sr *specReader) positive(o *sobek.Object, key, path string) float64 {
	v := o.Get(key)
	if common.IsNullish(v) {
		sr.add("%s.%s: must be a number > 0, but is missing", path, key)
		return 0
	}
	f := v.ToFloat()
	if _, isNum := v.Export().(int64); !isNum {
		if _, isFloat := v.Export().(float64); !isFloat {
			f = math.NaN()
		}
	}
	if !(f > 0) || math.IsInf(f, 0) {
		sr.add("%s.%s: must be a number > 0, but is %s", path, key, v.String())
		return 0
	}
	return f
}

func (sr *specReader) headers(o *sobek.Object, path string) map[string]string {
	out := map[string]string{}
	h := sr.object(o.Get("headers"), path+".headers")
	if h == nil {
		return out
	}
	for _, k := range h.Keys() {
		out[k] = h.Get(k).String()
	}
	return out
}

// route reads {method, url, headers, timeoutMs, answer}.
func (sr *specReader) route(v sobek.Value, path string) *route {
	o := sr.object(v, path, "method", "url", "headers", "timeoutMs", "answer")
	if o == nil {
		return nil
	}
	r := &route{method: sr.str(o, "method", path), rawURL: sr.str(o, "url", path), headers: sr.headers(o, path)}
	r.timeout = time.Duration(sr.positive(o, "timeoutMs", path) * float64(time.Millisecond))
	r.answerName = sr.str(o, "answer", path)
	sr.checkURL(r, path+".url")
	return r
}

func (sr *specReader) checkURL(r *route, path string) {
	u, err := httpext.ToURL(r.rawURL)
	if err != nil || !strings.HasPrefix(r.rawURL, "http://") && !strings.HasPrefix(r.rawURL, "https://") {
		sr.add("%s: must be an http(s) URL, but is '%s'", path, r.rawURL)
	}
	r.url = u
	for k, val := range r.headers {
		if strings.EqualFold(k, "host") {
			r.host = val
		}
	}
}

// checkAnswer checks that the route's answer kind reads what the route key sends.
func (sr *specReader) checkAnswer(r *route, key string) {
	kind, ok := answerKinds[r.answerName]
	if !ok {
		names := make([]string, 0, len(answerKinds))
		for n := range answerKinds {
			names = append(names, n)
		}
		sort.Strings(names)
		sr.add("routes.%s.answer: must be one of %s, but is '%s'", key, strings.Join(names, ", "), r.answerName)
		return
	}
	r.answer = kind
	streamed := kind.interpret != nil
	switch {
	case key == routeLLMStream && !streamed:
		sr.add("routes.%s.answer: must be a streamed kind (openai-stream, tgi-stream), but is '%s'", key, r.answerName)
	case key != routeLLMStream && streamed:
		sr.add("routes.%s.answer: must be a non-streamed kind, but is '%s' (streamed llm requests use routes['llm-stream'])", key, r.answerName)
	case key == routeImage && !kind.image:
		sr.add("routes.%s.answer: '%s' cannot read image answers", key, r.answerName)
	case key != routeImage && !kind.llm:
		sr.add("routes.%s.answer: '%s' cannot read llm answers", key, r.answerName)
	}
	if streamed {
		if _, ok := headerValue(canonicalHeaders(r.headers), "Accept"); !ok {
			r.headers["Accept"] = "text/event-stream"
		}
	}
}

func canonicalHeaders(h map[string]string) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		out[http.CanonicalHeaderKey(k)] = v
	}
	return out
}

// job reads {submitUrl, pollUrl, pollIntervalMs, headers, timeoutMs}.
func (sr *specReader) job(v sobek.Value) *jobRoute {
	const path = "job"
	o := sr.object(v, path, "submitUrl", "pollUrl", "pollIntervalMs", "headers", "timeoutMs")
	if o == nil {
		return nil
	}
	headers := sr.headers(o, path)
	timeoutMs := sr.positive(o, "timeoutMs", path)
	j := &jobRoute{timeoutMs: timeoutMs, pollInterval: time.Duration(sr.positive(o, "pollIntervalMs", path) * float64(time.Millisecond))}
	timeout := time.Duration(timeoutMs * float64(time.Millisecond))
	j.submit = route{method: http.MethodPost, rawURL: sr.str(o, "submitUrl", path), headers: headers, timeout: timeout}
	j.poll = route{method: http.MethodGet, rawURL: sr.str(o, "pollUrl", path), headers: headers, timeout: timeout}
	sr.checkURL(&j.submit, path+".submitUrl")
	sr.checkURL(&j.poll, path+".pollUrl")
	return j
}

// limits reads PerRequestLimits ({e2eMs, ttftMs, tpotMs, stepMs}, each optional).
func (sr *specReader) limits(v sobek.Value, path string) *requestLimits {
	o := sr.object(v, path, "e2eMs", "ttftMs", "tpotMs", "stepMs")
	if o == nil {
		return nil
	}
	limit := func(key string) opt {
		if common.IsNullish(o.Get(key)) {
			return opt{}
		}
		return opt{sr.positive(o, key, path), true}
	}
	return &requestLimits{e2e: limit("e2eMs"), ttft: limit("ttftMs"), tpot: limit("tpotMs"), step: limit("stepMs")}
}

// checkCoverage: every kind of request line in the store has a route (or the job API).
func (sr *specReader) checkCoverage(s *workloadStore, routes map[string]*route, job *jobRoute) {
	if job != nil {
		if len(routes) > 0 {
			sr.add("routes: must be empty with job (every request is a job), but has %d route(s)", len(routes))
		}
		return
	}
	counts := map[string]int{}
	for i := range s.requests {
		counts[routeKeyOf(&s.requests[i])]++
	}
	for _, key := range routeKeys {
		if counts[key] > 0 && routes[key] == nil {
			sr.add("routes.%s: must be set, because the workload has %d %s request(s)", key, counts[key], describeRouteKey(key))
		}
	}
}

func describeRouteKey(key string) string {
	switch key {
	case routeLLMStream:
		return "streamed llm"
	case routeLLM:
		return "non-streamed llm"
	}
	return key
}

func (sr *specReader) err() error {
	if len(sr.problems) == 0 {
		return nil
	}
	return errors.New("genload.client: " + strings.Join(sr.problems, "; "))
}
