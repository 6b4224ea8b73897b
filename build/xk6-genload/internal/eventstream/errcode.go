package eventstream

import (
	"context"
	"errors"
	"net"
	"syscall"

	"go.k6.io/k6/lib/netext"
	"go.k6.io/k6/lib/netext/httpext"
)

// Error codes, numbered like k6/http's `error_code` where the meaning is the
// same (https://grafana.com/docs/k6/latest/javascript-api/error-codes/).
const (
	CodeGeneric          = 1000
	CodeInvalidURL       = 1020
	CodeRequestTimeout   = 1050
	CodeDNSNoSuchHost    = 1101
	CodeBlacklistedIP    = 1110
	CodeBlockedHostname  = 1111
	CodeTCPDialRefused   = 1212
	CodeTCPResetByPeer   = 1220
	CodeHTTPStatusOffset = 1000 // 4xx and 5xx answers become 1000 + status, as in k6/http
	CodeEventTooLarge    = 1701 // k6 reserves 17xx for content errors
)

// Classify maps a transport or stream error to a k6 error code and a message.
func Classify(err error) (int, string) {
	var k6Err httpext.K6Error
	var dnsErr *net.DNSError
	var tooLarge ErrEventTooLarge
	switch {
	case errors.As(err, &k6Err):
		return int(k6Err.Code), k6Err.Message
	case errors.Is(err, context.DeadlineExceeded):
		return CodeRequestTimeout, "request timeout"
	case errors.As(err, &tooLarge):
		return CodeEventTooLarge, tooLarge.Error()
	case errors.As(err, &netext.BlockedHostError{}):
		return CodeBlockedHostname, err.Error()
	case errors.As(err, &netext.BlackListedIPError{}):
		return CodeBlacklistedIP, err.Error()
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return CodeDNSNoSuchHost, err.Error()
	case errors.Is(err, syscall.ECONNREFUSED):
		return CodeTCPDialRefused, err.Error()
	case errors.Is(err, syscall.ECONNRESET):
		return CodeTCPResetByPeer, err.Error()
	default:
		return CodeGeneric, err.Error()
	}
}
