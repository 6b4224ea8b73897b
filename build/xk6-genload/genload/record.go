package genload

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/grafana/sobek"

	"go.k6.io/k6/js/common"
	"go.k6.io/k6/metrics"
)

// record implements genload.record(samples, tags): for each {metric, value,
// tags?} of the samples array, what `metric.add(value, {...tags, ...sample.tags})`
// of k6/metrics does (the VU's current tags, then tags, then the sample's own
// tags), but all samples go to the engine as one container with one
// timestamp: one channel send per call instead of one per sample.
// The metrics must exist (created with new Trend/Counter/Rate in the init context).
func (gi *ModuleInstance) record(call sobek.FunctionCall) sobek.Value {
	rt, state := gi.runState("genload.record")
	arg := call.Argument(0)
	if common.IsNullish(arg) {
		common.Throw(rt, errors.New("genload.record: samples must be an array of {metric, value, tags?}, but is missing"))
	}
	list := arg.ToObject(rt)
	n := int(list.Get("length").ToInteger())
	if n == 0 {
		return sobek.Undefined()
	}
	base := state.Tags.GetCurrentValues()
	if err := common.ApplyCustomUserTags(rt, &base, call.Argument(1)); err != nil {
		common.Throw(rt, fmt.Errorf("genload.record: cannot add tags: %w", err))
	}
	now := time.Now()
	out := make(metrics.Samples, 0, n)
	for i := 0; i < n; i++ {
		s := list.Get(strconv.Itoa(i)).ToObject(rt)
		name := s.Get("metric").String()
		m := gi.metric(name)
		if m == nil {
			common.Throw(rt, fmt.Errorf("metric: must be created in the init context (new Trend, Counter or Rate), but '%s' is not", name))
		}
		v := s.Get("value")
		value := v.ToFloat()
		if value == 0 && v.ToBoolean() {
			value = 1 // true, as k6/metrics reads it
		}
		if math.IsNaN(value) {
			// as k6/metrics: an invalid value is dropped with a warning (or throws with the throw option)
			err := fmt.Errorf("'%s' is an invalid value for metric '%s', a number or a boolean value is expected", v.String(), name)
			if state.Options.Throw.Bool {
				common.Throw(rt, err)
			}
			state.Logger.Warn(err)
			continue
		}
		tm := base
		if extra := s.Get("tags"); !common.IsNullish(extra) {
			if err := common.ApplyCustomUserTags(rt, &tm, extra); err != nil {
				common.Throw(rt, fmt.Errorf("cannot add tags for the '%s' custom metric: %w", name, err))
			}
		}
		out = append(out, metrics.Sample{
			TimeSeries: metrics.TimeSeries{Metric: m, Tags: tm.Tags},
			Time:       now,
			Metadata:   tm.Metadata,
			Value:      value,
		})
	}
	if len(out) > 0 {
		metrics.PushIfNotDone(gi.vu.Context(), state.Samples, out)
	}
	return sobek.Undefined()
}

// metric finds a registered metric by name, remembering it for the next call.
func (gi *ModuleInstance) metric(name string) *metrics.Metric {
	if m, ok := gi.metricsByName[name]; ok {
		return m
	}
	m := gi.registry.Get(name)
	if m != nil {
		gi.metricsByName[name] = m
	}
	return m
}
