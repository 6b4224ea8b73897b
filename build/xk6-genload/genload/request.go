package genload

import (
	"net/http"
	"strings"

	"go.k6.io/k6/lib"
	"go.k6.io/k6/lib/netext/httpext"
	"go.k6.io/k6/metrics"

	"github.com/genload/xk6-genload/internal/eventstream"
)

// The HTTP side of genload's client: requests built as k6/http builds them,
// sent through k6's httpext (non-streamed) or the VU's transport (streams).

// expectedStatus is k6/http's default response callback (200-399 count as
// not failed in http_req_failed). genload never calls http.setResponseCallback,
// and this module cannot see the k6/http instance's callback anyway.
func expectedStatus(status int) bool { return status >= 200 && status <= 399 }

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
		Timeout:          eventstream.DefaultTimeout, // k6/http's default too
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
