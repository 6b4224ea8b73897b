package sse

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/grafana/sobek"

	"go.k6.io/k6/js/common"
	"go.k6.io/k6/lib"
	"go.k6.io/k6/metrics"

	"github.com/genload/xk6-genload/internal/eventstream"
)

var errOpenInInitContext = common.NewInitContextError("sse.open cannot be called in the init context")

// call is one sse.open invocation; everything in it runs on the VU goroutine
// except readBody, which only talks to it through a channel.
type call struct {
	vu      *ModuleInstance
	state   *lib.State
	rt      *sobek.Runtime
	url     string
	params  openParams
	client  *client
	tags    metrics.TagsAndMeta
	res     result
	started time.Time // just before the request is handed to the transport; `ms` counts from here
}

// open implements sse.open(url, [params], setup). It blocks the VU until the
// stream ends, client.close() is called, params.timeout passes or the test stops.
func (mi *ModuleInstance) open(url string, args ...sobek.Value) (sobek.Value, error) {
	state := mi.vu.State()
	if state == nil {
		return nil, errOpenInInitContext
	}
	rt := mi.vu.Runtime()
	var paramsArg, setupArg sobek.Value
	switch len(args) {
	case 1:
		setupArg = args[0]
	case 2:
		paramsArg, setupArg = args[0], args[1]
	default:
		return nil, fmt.Errorf("sse.open: expected (url, params, setup) or (url, setup), but got %d arguments", len(args)+1)
	}
	setup, ok := sobek.AssertFunction(setupArg)
	if !ok {
		return nil, errors.New("sse.open: the last argument must be a function that receives the client")
	}
	params, err := parseParams(rt, paramsArg)
	if err != nil {
		return nil, err
	}
	c, err := newClient(rt)
	if err != nil {
		return nil, err
	}
	if _, err := setup(sobek.Undefined(), c.obj); err != nil {
		return nil, err
	}
	cl := &call{vu: mi, state: state, rt: rt, url: url, params: params, client: c,
		res: result{url: url, headers: map[string]string{}}}
	cl.tags = cl.requestTags()
	if err := cl.run(); err != nil {
		return nil, err
	}
	return cl.res.toJS(rt), nil
}

// run sends the request and, on a 2xx answer, streams events to the handlers.
// It returns only exceptions thrown by handlers; request and stream failures
// land in the result and the 'error' handler.
func (cl *call) run() error {
	if cl.client.closed {
		return nil // closed inside setup: nothing is sent
	}
	vuCtx := cl.vu.vu.Context()
	ctx, cancel := context.WithTimeout(vuCtx, cl.params.timeout)
	defer cancel()

	req, err := http.NewRequestWithContext(ctx, cl.params.method, cl.url, bytes.NewReader(cl.params.body))
	if err != nil {
		cl.res.fail(eventstream.CodeInvalidURL, fmt.Sprintf("invalid url %q: %v", cl.url, err))
		return cl.finish(0)
	}
	req.Header = cl.params.headers.Clone()
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "text/event-stream")
	}
	if ua := cl.state.Options.UserAgent; ua.Valid && req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", ua.String)
	}
	if cl.state.RPSLimit != nil {
		if err := cl.state.RPSLimit.Wait(ctx); err != nil {
			return nil // the test is stopping
		}
	}

	httpClient := &http.Client{Transport: cl.state.Transport}
	if cl.state.CookieJar != nil { // a typed nil *cookiejar.Jar would panic inside net/http
		httpClient.Jar = cl.state.CookieJar
	}
	cl.started = time.Now()
	resp, err := httpClient.Do(req)
	if err != nil {
		if vuCtx.Err() != nil {
			return nil // the test is stopping: not a failure of the target
		}
		cl.res.fail(eventstream.Classify(err))
		return cl.finish(time.Since(cl.started))
	}
	defer func() { _ = resp.Body.Close() }()
	cl.res.headersAt = time.Since(cl.started)
	cl.res.status = resp.StatusCode
	cl.res.headers = flattenHeaders(resp.Header)
	cl.res.url = resp.Request.URL.String()
	cl.tags.SetSystemTagOrMetaIfEnabled(cl.state.Options.SystemTags, metrics.TagStatus, fmt.Sprint(resp.StatusCode))

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, eventstream.MaxErrorBodyBytes))
		cl.res.fail(eventstream.CodeHTTPStatusOffset+resp.StatusCode,
			fmt.Sprintf("server answered %d %s: %s", resp.StatusCode, http.StatusText(resp.StatusCode), bytes.TrimSpace(body)))
		return cl.finish(time.Since(cl.started))
	}
	if err := cl.client.emit(handlerOpen, cl.headJS()); err != nil {
		return err
	}
	if cl.client.closed {
		return cl.finish(time.Since(cl.started))
	}
	return cl.stream(ctx, cancel, resp.Body)
}

// finish records the end of the stream, calls the 'error' handler when the
// stream failed and pushes the per-stream metrics.
func (cl *call) finish(at time.Duration) error {
	cl.res.totalAt = at
	if cl.res.failed() {
		if err := cl.client.emit(handlerError, cl.res.errorJS(cl.rt, at)); err != nil {
			return err
		}
	}
	cl.pushStreamMetrics()
	return nil
}

// headJS is the argument of the 'open' handler: the response head.
func (cl *call) headJS() sobek.Value {
	return cl.rt.ToValue(map[string]any{
		"status":  cl.res.status,
		"headers": cl.res.headers,
		"url":     cl.res.url,
		"ms":      eventstream.DurationMs(cl.res.headersAt),
	})
}

// requestTags are the VU's current tags, then params.tags, then the enabled
// system tags; `name` defaults to the URL as in k6/http.
func (cl *call) requestTags() metrics.TagsAndMeta {
	tm := cl.state.Tags.GetCurrentValues()
	for k, v := range cl.params.tags {
		tm.SetTag(k, v)
	}
	enabled := cl.state.Options.SystemTags
	tm.SetSystemTagOrMetaIfEnabled(enabled, metrics.TagURL, cl.url)
	tm.SetSystemTagOrMetaIfEnabled(enabled, metrics.TagMethod, cl.params.method)
	if _, named := cl.params.tags["name"]; !named {
		tm.SetSystemTagOrMetaIfEnabled(enabled, metrics.TagName, cl.url)
	}
	return tm
}
