package genload

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"time"

	"go.k6.io/k6/lib"
	"go.k6.io/k6/metrics"

	"github.com/genload/xk6-genload/internal/eventstream"
)

// streamStats is StreamAccumulator: a
// stream's events folded into the numbers genload records.
type streamStats struct {
	first, previous, last opt // arrival of the first token event, the previous one, the last event (ms)
	gaps                  []float64
	pieces                int
	hasUsage              bool
	promptTokens          float64
	completionTokens      float64
	cachedTokens          opt
	timings               serverTimings
	done                  bool
	err                   string
	hasErr                bool
}

func (s *streamStats) add(m chunkMeaning, ms float64) {
	s.last = opt{ms, true}
	if m.pieces > 0 {
		if !s.first.set {
			s.first = opt{ms, true}
		} else if s.previous.set {
			s.gaps = append(s.gaps, ms-s.previous.v)
		}
		s.previous = opt{ms, true}
		s.pieces += m.pieces
	}
	if m.hasUsage {
		s.hasUsage, s.promptTokens, s.completionTokens, s.cachedTokens = true, m.promptTokens, m.completionTokens, m.cachedTokens
	}
	if m.timings != nil {
		s.timings.merge(*m.timings)
	}
	if m.done {
		s.done = true
	}
	if m.err != "" && !s.hasErr {
		s.err, s.hasErr = m.err, true
	}
}

// streamEnd is how a stream ended, as sse.open's result reports it.
type streamEnd struct {
	status, errorCode int
	errText           string
	headers           http.Header
	totalMs           float64
}

// sendStream is exchangeStream: one request
// answered by an SSE stream, read and interpreted on the VU goroutine (no
// JavaScript per event). Requests go through the VU's transport as sse.open
// sends them; k6's http_req_* metrics are not emitted for them. false: the
// test stopped during the stream.
func (c *genloadClient) sendStream(state *lib.State, r *route, req *workRequest, _ metrics.TagsAndMeta, o *outcome) bool {
	var stats streamStats
	end, ok := c.stream(state, r, req.body, func(data []byte, ms float64) { stats.add(r.answer.interpret(data), ms) })
	if !ok {
		return false
	}
	st := end.headers.Get("Server-Timing")
	o.server = parseServerTiming(c.gi.vu.Runtime(), st, st != "")
	o.server.merge(stats.timings)
	o.status = end.status
	o.e2e = math.Max(end.totalMs, stats.last.v) // never earlier than the last event
	if failure := classifyFailure(end.status, end.errorCode); failure != "" {
		o.errorClass, o.errText = failure, failureText(end.status, end.errText, nil)
		return true
	}
	o.itl, o.ttft = stats.gaps, stats.first
	o.outTokens = opt{float64(stats.pieces), true}
	if stats.hasUsage {
		o.outTokens = opt{stats.completionTokens, true}
		if stats.promptTokens > 0 {
			o.promptTokens = opt{stats.promptTokens, true}
		}
		o.cachedTokens = stats.cachedTokens
	}
	switch {
	case stats.hasErr:
		o.errorClass, o.errText = "protocol", stats.err
	case !stats.done:
		o.errorClass, o.errText = "protocol", fmt.Sprintf("stream ended without its final event after %d tokens", stats.pieces)
	default:
		o.ok = true
	}
	return true
}

// stream sends one request and feeds each event's data, with its arrival
// (ms since the request was handed to the transport, the time the read that
// completed it returned), to onEvent. It is sse.open without JavaScript:
// same transport, cookie jar, User-Agent, --rps limit, timeout over the
// whole stream, error codes and 8 MiB event limit.
func (c *genloadClient) stream(state *lib.State, r *route, body []byte, onEvent func(data []byte, ms float64)) (streamEnd, bool) {
	vuCtx := c.gi.vu.Context()
	ctx, cancel := context.WithTimeout(vuCtx, r.timeout)
	defer cancel()
	var end streamEnd
	req, err := http.NewRequestWithContext(ctx, r.method, r.rawURL, bytes.NewReader(body))
	if err != nil {
		end.errorCode, end.errText = eventstream.CodeInvalidURL, fmt.Sprintf("invalid url %q: %v", r.rawURL, err)
		return end, true
	}
	req.Header = r.httpHeader(state).Clone() // the cookie jar adds to it
	if r.host != "" {
		req.Host = r.host
	}
	if state.RPSLimit != nil {
		if err := state.RPSLimit.Wait(ctx); err != nil {
			return end, false // the test is stopping
		}
	}
	httpClient := &http.Client{Transport: state.Transport}
	if state.CookieJar != nil { // a typed nil *cookiejar.Jar would panic inside net/http
		httpClient.Jar = state.CookieJar
	}
	started := time.Now()
	since := func() float64 { return eventstream.DurationMs(time.Since(started)) }
	resp, err := httpClient.Do(req)
	if err != nil {
		if vuCtx.Err() != nil {
			return end, false
		}
		end.errorCode, end.errText = eventstream.Classify(err)
		end.totalMs = since()
		return end, true
	}
	defer func() { _ = resp.Body.Close() }()
	end.status, end.headers = resp.StatusCode, resp.Header
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		text, _ := io.ReadAll(io.LimitReader(resp.Body, eventstream.MaxErrorBodyBytes))
		end.errorCode = eventstream.CodeHTTPStatusOffset + resp.StatusCode
		end.errText = fmt.Sprintf("server answered %d %s: %s", resp.StatusCode, http.StatusText(resp.StatusCode), bytes.TrimSpace(text))
		end.totalMs = since()
		return end, true
	}
	if c.readBuf == nil {
		c.readBuf = make([]byte, eventstream.ReadBufferBytes)
	}
	parser := eventstream.NewParser(eventstream.MaxEventBytes)
	for {
		n, readErr := resp.Body.Read(c.readBuf)
		at := since()
		var parseErr error
		if n > 0 {
			parseErr = parser.FeedFunc(c.readBuf[:n], func(_ string, data []byte) { onEvent(data, at) })
		}
		switch {
		case parseErr != nil:
			end.errorCode, end.errText = eventstream.Classify(parseErr)
		case readErr == nil:
			continue
		case errors.Is(readErr, io.EOF):
		case vuCtx.Err() != nil:
			return end, false
		case ctx.Err() != nil:
			end.errorCode, end.errText = eventstream.Classify(context.DeadlineExceeded)
		default:
			end.errorCode, end.errText = eventstream.Classify(readErr)
		}
		end.totalMs = at
		return end, true
	}
}
