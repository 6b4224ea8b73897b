// Package xk6genload is genload's k6 extension. xk6 imports this root
// package (`--with github.com/genload/xk6-genload=<folder>`); importing it
// registers both JS modules, each from its own package:
//
//   - k6/x/sse (package sse): one server-sent-events stream per call,
//     each event handed to JavaScript with a monotonic timestamp;
//   - k6/x/genload (package genload): the per-request hot path (workload
//     file, send, answer kinds, samples) in Go.
//
// Both read streams with internal/eventstream (the SSE parser, the read
// limits and k6's error codes). See README.md.
package xk6genload

import (
	// Each package registers its module in its init function.
	_ "github.com/genload/xk6-genload/genload"
	_ "github.com/genload/xk6-genload/sse"
)
