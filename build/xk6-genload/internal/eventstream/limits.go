package eventstream

import "time"

// The bounds both k6/x/sse and k6/x/genload's streamed requests read with, so
// a stream behaves the same whichever module sends it.
const (
	// DefaultTimeout bounds a whole request (sent to last byte) when the
	// script gives none; k6/http uses the same default.
	DefaultTimeout = 60 * time.Second

	// MaxEventBytes caps one pending event (and line) to protect the load
	// generator from a server that never sends a blank line.
	MaxEventBytes = 8 << 20

	// MaxErrorBodyBytes is how much of a non-2xx body becomes the error text.
	MaxErrorBodyBytes = 2048

	// ReadBufferBytes is the size of one body read; a read returns as soon as
	// any bytes arrive, so it bounds batching, not latency.
	ReadBufferBytes = 32 << 10
)

// DurationMs is d in milliseconds (float), the unit every timing a script sees is in.
func DurationMs(d time.Duration) float64 {
	return float64(d.Nanoseconds()) / 1e6
}
