package sse

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/grafana/sobek"

	"go.k6.io/k6/js/common"
	"go.k6.io/k6/lib"
	"go.k6.io/k6/lib/netext/httpext"
	"go.k6.io/k6/lib/types"
	"go.k6.io/k6/metrics"
)

// expectedStatus is k6/http's default response callback (200-399 count as
// not failed in http_req_failed). genload never calls http.setResponseCallback,
// and this module cannot see the k6/http instance's callback anyway.
func expectedStatus(status int) bool { return status >= 200 && status <= 399 }

// request implements genload.request({method, url, body, headers, tags, timeoutMs, answer}):
// the request k6/http's http.request(method, url, body, {headers, tags, timeout})
// makes, through the same httpext.MakeRequest (so http_req_* metrics, system
// tags, the cookie jar, timeouts, connection reuse and k6 error codes are
// k6's own), returning a small plain object instead of k6's Response:
// {status, body, durationMs, errorCode, error, headers, server}, where server
// is the Server-Timing header already parsed (see parseServerTiming), plus
// `completion` when answer is "openai-completion" (see completionFor).
func (gi *GenloadInstance) request(call sobek.FunctionCall) sobek.Value {
	rt, state := gi.runState("genload.request")
	specObj := objectArgument(rt, call, "genload.request", "{method, url, body, headers, tags, timeoutMs}")
	answer := ""
	if v := specObj.Get("answer"); !common.IsNullish(v) {
		answer = v.String()
		if answer != answerOpenAICompletion {
			common.Throw(rt, fmt.Errorf("genload.request: answer must be '%s' or absent, but is '%s'", answerOpenAICompletion, answer))
		}
	}
	preq, err := parseRequestSpec(rt, state, specObj)
	if err != nil {
		if state.Options.Throw.Bool {
			common.Throw(rt, err)
		}
		// as k6/http: log, and answer with the error instead of throwing
		state.Logger.WithField("error", err).Warn("Request Failed")
		res := httpext.NewResponse()
		res.Error = err.Error()
		var k6e httpext.K6Error
		if errors.As(err, &k6e) {
			res.ErrorCode = int(k6e.Code)
		}
		return replyToJS(rt, res, completionFor(rt, res, answer))
	}
	res, err := httpext.MakeRequest(gi.vu.Context(), state, preq)
	if err != nil {
		common.Throw(rt, err)
	}
	return replyToJS(rt, res, completionFor(rt, res, answer))
}

// parseRequestSpec mirrors the parts of k6/http's parseRequest that a string
// body, headers, tags and a timeout in milliseconds use.
func parseRequestSpec(rt *sobek.Runtime, state *lib.State, spec *sobek.Object) (*httpext.ParsedHTTPRequest, error) {
	method := spec.Get("method").String() // as given, like http.request
	u, err := httpext.ToURL(spec.Get("url").String())
	if err != nil {
		return nil, err
	}
	preq := baseRequest(state, method, u, state.Tags.GetCurrentValues(), nil)
	if body := spec.Get("body"); !common.IsNullish(body) {
		preq.Body = bytes.NewBufferString(body.String())
	}
	if h := spec.Get("headers"); !common.IsNullish(h) {
		headers := h.ToObject(rt)
		for _, key := range headers.Keys() {
			value := headers.Get(key).String()
			if strings.EqualFold(key, "host") {
				preq.Req.Host = value
			}
			preq.Req.Header.Set(key, value)
		}
	}
	if err := common.ApplyCustomUserTags(rt, &preq.TagsAndMeta, spec.Get("tags")); err != nil {
		return nil, fmt.Errorf("invalid HTTP request metric tags: %w", err)
	}
	if t := spec.Get("timeoutMs"); !common.IsNullish(t) {
		d, err := types.GetDurationValue(t.Export())
		if err != nil {
			return nil, fmt.Errorf("invalid timeout value: %w", err)
		}
		preq.Timeout = d
	}
	attachCookies(state, preq)
	return preq, nil
}

// baseRequest is the request k6/http's parseRequest starts from: k6's
// defaults for timeout, redirects and the response callback, tags, and the
// given headers (nil: only the VU's User-Agent). The request gets its own
// copy of the URL.
func baseRequest(state *lib.State, method string, u httpext.URL, tags metrics.TagsAndMeta, header http.Header) *httpext.ParsedHTTPRequest {
	reqURL := *u.GetURL()
	if header == nil {
		header = http.Header{"User-Agent": {state.Options.UserAgent.String}}
	}
	preq := &httpext.ParsedHTTPRequest{
		URL:              &u,
		Req:              &http.Request{Method: method, URL: &reqURL, Header: header},
		Timeout:          defaultTimeout, // k6/http's default too
		Throw:            state.Options.Throw.Bool,
		Redirects:        state.Options.MaxRedirects,
		Cookies:          map[string]*httpext.HTTPRequestCookie{},
		ResponseCallback: expectedStatus,
		TagsAndMeta:      tags,
		ResponseType:     httpext.ResponseTypeText,
	}
	if state.Options.DiscardResponseBodies.Bool {
		preq.ResponseType = httpext.ResponseTypeNone
	}
	return preq
}

// attachCookies hands the VU's cookie jar to the request, as k6/http does.
func attachCookies(state *lib.State, preq *httpext.ParsedHTTPRequest) {
	if state.CookieJar != nil {
		preq.ActiveJar = state.CookieJar
		httpext.SetRequestCookies(preq.Req, preq.ActiveJar, preq.Cookies)
	}
}

// replyToJS builds the plain object request returns (own properties, so reads
// from JavaScript are plain property lookups, not reflection). completion,
// when not nil, becomes its `completion` property (see completionFor).
func replyToJS(rt *sobek.Runtime, res *httpext.Response, completion sobek.Value) sobek.Value {
	o := rt.NewObject()
	body, _ := res.Body.(string) // nil without a body (no response, 204, discarded bodies)
	set := func(k string, v any) { _ = o.Set(k, v) }
	set("status", res.Status)
	set("body", body)
	set("durationMs", float64(res.Timings.Duration))
	set("errorCode", res.ErrorCode)
	set("error", res.Error)
	set("headers", res.Headers)
	st, ok := headerValue(res.Headers, "Server-Timing")
	set("server", serverTimingToJS(rt, parseServerTiming(rt, st, ok)))
	if completion != nil {
		set("completion", completion)
	}
	return o
}

// completionFor is the `completion` a reply holds for request's `answer`:
// with "openai-completion" the usage counts scanned from the body
// (scanCompletion), or null when the body is not that shape; nil (no
// property) without an answer.
func completionFor(rt *sobek.Runtime, res *httpext.Response, answer string) sobek.Value {
	if answer != answerOpenAICompletion {
		return nil
	}
	body, _ := res.Body.(string)
	u, ok := scanCompletion(rt, body)
	return completionToJS(rt, u, ok)
}

// headerValue looks a header up by Go's canonical name first (how k6 stores
// them), then ignoring case.
func headerValue(headers map[string]string, canonical string) (string, bool) {
	if v, ok := headers[canonical]; ok {
		return v, true
	}
	for k, v := range headers {
		if strings.EqualFold(k, canonical) {
			return v, true
		}
	}
	return "", false
}
