// Package sse is a k6 extension (JS module `k6/x/sse`) that opens one
// server-sent-events stream per call and hands each event to a JavaScript
// handler with a monotonic timestamp, for time-to-first-token and
// inter-token latency measurements. See ../README.md for the API.
package sse

import (
	"github.com/grafana/sobek"

	"go.k6.io/k6/js/common"
	"go.k6.io/k6/js/modules"
	"go.k6.io/k6/metrics"
)

// ImportPath is the name scripts import.
const ImportPath = "k6/x/sse"

func init() {
	modules.Register(ImportPath, new(RootModule))
}

// Metric names emitted by the extension (documented in README.md).
const (
	MetricEvent          = "sse_event"           // counter: one per dispatched event
	MetricStreamFailed   = "sse_stream_failed"   // rate: 1 when a stream ended in error
	MetricStreamDuration = "sse_stream_duration" // trend (ms): request sent to stream end
)

// RootModule is shared by all VUs; it creates one ModuleInstance per VU.
type RootModule struct{}

// ModuleInstance is the per-VU state of `k6/x/sse`.
type ModuleInstance struct {
	vu      modules.VU
	metrics streamMetrics
	exports *sobek.Object
}

type streamMetrics struct {
	event          *metrics.Metric
	streamFailed   *metrics.Metric
	streamDuration *metrics.Metric
}

var (
	_ modules.Module   = &RootModule{}
	_ modules.Instance = &ModuleInstance{}
)

// NewModuleInstance runs in the init context of each VU, where the metric
// registry is reachable; registering an existing name returns the same metric.
func (*RootModule) NewModuleInstance(vu modules.VU) modules.Instance {
	rt := vu.Runtime()
	env := vu.InitEnv()
	if env == nil {
		common.Throw(rt, common.NewInitContextError("k6/x/sse must be imported in the init context"))
	}
	m, err := registerMetrics(env.Registry)
	if err != nil {
		common.Throw(rt, err)
	}
	mi := &ModuleInstance{vu: vu, metrics: m}
	mi.exports = rt.NewObject()
	if err := mi.exports.Set("open", mi.open); err != nil {
		common.Throw(rt, err)
	}
	return mi
}

// Exports makes `open` reachable both as `import sse from 'k6/x/sse'; sse.open`
// and as `import { open } from 'k6/x/sse'`.
func (mi *ModuleInstance) Exports() modules.Exports {
	return modules.Exports{
		Default: mi.exports,
		Named:   map[string]any{"open": mi.open},
	}
}

func registerMetrics(r *metrics.Registry) (streamMetrics, error) {
	var m streamMetrics
	var err error
	if m.event, err = r.NewMetric(MetricEvent, metrics.Counter); err != nil {
		return m, err
	}
	if m.streamFailed, err = r.NewMetric(MetricStreamFailed, metrics.Rate); err != nil {
		return m, err
	}
	m.streamDuration, err = r.NewMetric(MetricStreamDuration, metrics.Trend, metrics.Time)
	return m, err
}
