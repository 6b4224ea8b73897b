package sse

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"

	"github.com/grafana/sobek"

	"go.k6.io/k6/lib/netext"
	"go.k6.io/k6/lib/netext/httpext"
)

// Error codes, numbered like k6/http's `error_code` where the meaning is the
// same (https://grafana.com/docs/k6/latest/javascript-api/error-codes/).
const (
	codeGeneric          = 1000
	codeInvalidURL       = 1020
	codeRequestTimeout   = 1050
	codeDNSNoSuchHost    = 1101
	codeBlacklistedIP    = 1110
	codeBlockedHostname  = 1111
	codeTCPDialRefused   = 1212
	codeTCPResetByPeer   = 1220
	codeHTTPStatusOffset = 1000 // 4xx and 5xx answers become 1000 + status, as in k6/http
	codeEventTooLarge    = 1701 // k6 reserves 17xx for content errors
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
			"headersMs": durationMs(r.headersAt),
			"totalMs":   durationMs(r.totalAt),
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
	_ = obj.Set("ms", durationMs(at))
	_ = obj.Set("error", func() string { return text })
	return obj
}

func durationMs(d time.Duration) float64 {
	return float64(d.Nanoseconds()) / 1e6
}

func flattenHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for name, values := range h {
		out[name] = strings.Join(values, ", ")
	}
	return out
}

// classify maps a transport or stream error to a k6 error code and a message.
func classify(err error) (int, string) {
	var k6Err httpext.K6Error
	var dnsErr *net.DNSError
	var tooLarge ErrEventTooLarge
	switch {
	case errors.As(err, &k6Err):
		return int(k6Err.Code), k6Err.Message
	case errors.Is(err, context.DeadlineExceeded):
		return codeRequestTimeout, "request timeout"
	case errors.As(err, &tooLarge):
		return codeEventTooLarge, tooLarge.Error()
	case errors.As(err, &netext.BlockedHostError{}):
		return codeBlockedHostname, err.Error()
	case errors.As(err, &netext.BlackListedIPError{}):
		return codeBlacklistedIP, err.Error()
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return codeDNSNoSuchHost, err.Error()
	case errors.Is(err, syscall.ECONNREFUSED):
		return codeTCPDialRefused, err.Error()
	case errors.Is(err, syscall.ECONNRESET):
		return codeTCPResetByPeer, err.Error()
	default:
		return codeGeneric, err.Error()
	}
}
