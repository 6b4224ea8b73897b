package genload

import (
	"bytes"
	"net/http"
	"strconv"

	"go.k6.io/k6/js/common"
	"go.k6.io/k6/lib"
	"go.k6.io/k6/lib/netext/httpext"
	"go.k6.io/k6/metrics"
)

// httpReply is what one k6 request gave: k6/http's Response, reduced.
type httpReply struct {
	status, errorCode int
	errText           string
	body              []byte
	headers           map[string]string
	durationMs        float64
}

// do sends one request through k6's httpext.MakeRequest, as k6/http's
// http.request would (built-in http_req_* metrics, system tags, cookie jar,
// timeouts, k6 error codes). ok=false when the test stopped during it.
func (c *genloadClient) do(state *lib.State, r *route, body []byte, tags metrics.TagsAndMeta) (httpReply, bool) {
	preq := r.request(state, body, tags)
	ctx := c.gi.vu.Context()
	res, err := httpext.MakeRequest(ctx, state, preq)
	if ctx.Err() != nil {
		return httpReply{}, false
	}
	if err != nil { // the throw option, as k6/http
		common.Throw(c.gi.vu.Runtime(), err)
	}
	out := httpReply{status: res.Status, errorCode: res.ErrorCode, errText: res.Error, headers: res.Headers, durationMs: res.Timings.Duration}
	out.body, _ = res.Body.([]byte)
	return out, true
}

// request builds the request k6/http's parseRequest builds for this route and body.
func (r *route) request(state *lib.State, body []byte, tags metrics.TagsAndMeta) *httpext.ParsedHTTPRequest {
	preq := baseRequest(state, r.method, r.url, tags, r.httpHeader(state).Clone())
	preq.ResponseType = httpext.ResponseTypeBinary
	if state.Options.DiscardResponseBodies.Bool {
		preq.ResponseType = httpext.ResponseTypeNone
	}
	if r.host != "" {
		preq.Req.Host = r.host
	}
	if body != nil {
		preq.Body = bytes.NewBuffer(body) // read, never written, by httpext
	}
	preq.Timeout = r.timeout
	attachCookies(state, preq)
	return preq
}

// httpHeader is the VU's User-Agent, then the route's headers, built at the
// route's first request (the VU's options are only known then).
func (r *route) httpHeader(state *lib.State) http.Header {
	if r.header == nil {
		r.header = http.Header{"User-Agent": {state.Options.UserAgent.String}}
		for k, v := range r.headers {
			r.header.Set(k, v)
		}
	}
	return r.header
}

// sendJSON is exchangeJson: one request, one
// JSON answer, read by the route's answer kind. false: the test stopped.
func (c *genloadClient) sendJSON(state *lib.State, r *route, req *workRequest, tags metrics.TagsAndMeta, o *outcome) bool {
	reply, ok := c.do(state, r, req.body, tags)
	if !ok {
		return false
	}
	rt := c.gi.vu.Runtime()
	o.status, o.e2e = reply.status, reply.durationMs
	st, has := headerValue(reply.headers, "Server-Timing")
	o.server = parseServerTiming(rt, st, has)
	body, parsed := parseJSON(reply.body)
	if timings, ok := body.field("timings"); ok { // timingsOf: the body's timings override the header's
		o.server.merge(parseTimingsJSON(timings))
	}
	if failure := classifyFailure(reply.status, reply.errorCode); failure != "" {
		o.errorClass, o.errText = failure, failureText(reply.status, reply.errText, reply.body)
		return true
	}
	if problem := r.answer.read(o, body, parsed, req); problem != "" {
		o.errorClass, o.errText = "protocol", problem
		return true
	}
	o.ok = true
	return true
}

// failureText is failed()'s error of exchange.ts: k6's error, else the body's start.
func failureText(status int, errText string, body []byte) string {
	detail := errText
	if detail == "" {
		detail = prefixRunes(body, 160)
	}
	return "status " + strconv.Itoa(status) + ": " + detail
}
