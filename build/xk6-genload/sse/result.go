package sse

import (
	"net/http"
	"strings"
	"time"

	"github.com/grafana/sobek"

	"github.com/genload/xk6-genload/internal/eventstream"
)

// result is what sse.open returns; toJS defines the exact JavaScript shape.
type result struct {
	status    int
	headers   map[string]string
	url       string
	errText   string
	errCode   int
	events    int
	retryMs   *int64
	headersAt time.Duration // request sent to response head; 0 without a response
	totalAt   time.Duration // request sent to the end of the stream
}

func (r *result) failed() bool { return r.errText != "" }

func (r *result) fail(code int, text string) {
	r.errCode, r.errText = code, text
}

func (r *result) toJS(rt *sobek.Runtime) sobek.Value {
	var retry any // null when the server sent no valid retry field
	if r.retryMs != nil {
		retry = *r.retryMs
	}
	return rt.ToValue(map[string]any{
		"status":     r.status,
		"headers":    r.headers,
		"url":        r.url,
		"error":      r.errText,
		"error_code": r.errCode,
		"events":     r.events,
		"retryMs":    retry,
		"timings": map[string]any{
			"headersMs": eventstream.DurationMs(r.headersAt),
			"totalMs":   eventstream.DurationMs(r.totalAt),
		},
	})
}

// errorJS is the argument of the 'error' handler. error() keeps scripts
// written for phymbert/xk6-sse working (`e.error()`).
func (r *result) errorJS(rt *sobek.Runtime, at time.Duration) sobek.Value {
	obj := rt.NewObject()
	text := r.errText
	_ = obj.Set("message", text)
	_ = obj.Set("code", r.errCode)
	_ = obj.Set("status", r.status)
	_ = obj.Set("ms", eventstream.DurationMs(at))
	_ = obj.Set("error", func() string { return text })
	return obj
}

func flattenHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for name, values := range h {
		out[name] = strings.Join(values, ", ")
	}
	return out
}
