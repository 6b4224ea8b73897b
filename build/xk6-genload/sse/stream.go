package sse

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/grafana/sobek"

	"go.k6.io/k6/metrics"

	"github.com/genload/xk6-genload/internal/eventstream"
)

// batch is what the reader goroutine hands to the VU goroutine: the events
// completed by one read, stamped with the time that read returned, or the
// error that ended the body (io.EOF for a clean end).
type batch struct {
	events []eventstream.Event
	at     time.Duration // since call.started, on the monotonic clock
	err    error
	retry  *int64
}

// readBody runs on its own goroutine and never touches the JS runtime. It
// stops at the end of the body, on a read error, or when ctx is cancelled.
func readBody(ctx context.Context, body io.Reader, started time.Time, out chan<- batch) {
	defer close(out)
	parser := eventstream.NewParser(eventstream.MaxEventBytes)
	buf := make([]byte, eventstream.ReadBufferBytes)
	for {
		n, readErr := body.Read(buf)
		at := time.Since(started)
		b := batch{at: at}
		if n > 0 {
			b.events, b.err = parser.Feed(buf[:n])
		}
		if b.err == nil && readErr != nil {
			b.err = readErr
		}
		if ms, ok := parser.Retry(); ok {
			b.retry = &ms
		}
		if len(b.events) == 0 && b.err == nil {
			continue
		}
		select {
		case out <- b:
		case <-ctx.Done():
			return
		}
		if b.err != nil {
			return
		}
	}
}

// stream delivers events to the 'event' handlers until the body ends, a
// handler closes the client or throws, or ctx ends (timeout or test stop).
func (cl *call) stream(ctx context.Context, cancel context.CancelFunc, body io.ReadCloser) error {
	batches := make(chan batch, 16)
	go readBody(ctx, body, cl.started, batches)
	defer func() {
		// Unblock and wait for the reader so no goroutine outlives the call.
		cancel()
		_ = body.Close()
		for range batches { //nolint:revive // draining
		}
	}()

	for b := range batches {
		cl.res.retryMs = b.retry
		for _, ev := range b.events {
			cl.res.events++
			cl.pushEventMetric(cl.started.Add(b.at))
			if err := cl.client.emit(handlerEvent, cl.eventJS(ev, b.at)); err != nil {
				return err
			}
			if cl.client.closed {
				return cl.finish(time.Since(cl.started))
			}
		}
		if b.err == nil {
			continue
		}
		switch {
		case errors.Is(b.err, io.EOF):
			return cl.finish(b.at)
		case cl.vu.vu.Context().Err() != nil:
			return nil // the test is stopping: not a failure of the target
		case ctx.Err() != nil:
			cl.res.fail(eventstream.Classify(context.DeadlineExceeded))
		default:
			cl.res.fail(eventstream.Classify(b.err))
		}
		return cl.finish(b.at)
	}
	// The reader stopped without reporting: ctx ended while it was handing over a batch.
	if cl.vu.vu.Context().Err() != nil {
		return nil
	}
	cl.res.fail(eventstream.Classify(context.DeadlineExceeded))
	return cl.finish(time.Since(cl.started))
}

// eventJS builds the argument of the 'event' handler.
func (cl *call) eventJS(ev eventstream.Event, at time.Duration) sobek.Value {
	obj := cl.rt.NewObject()
	_ = obj.Set("id", ev.ID)
	_ = obj.Set("name", ev.Name)
	_ = obj.Set("data", ev.Data)
	_ = obj.Set("ms", eventstream.DurationMs(at))
	return obj
}

func (cl *call) pushEventMetric(at time.Time) {
	metrics.PushIfNotDone(cl.vu.vu.Context(), cl.state.Samples, metrics.Sample{
		TimeSeries: metrics.TimeSeries{Metric: cl.vu.metrics.event, Tags: cl.tags.Tags},
		Time:       at,
		Metadata:   cl.tags.Metadata,
		Value:      1,
	})
}

func (cl *call) pushStreamMetrics() {
	failed := 0.0
	if cl.res.failed() {
		failed = 1
	}
	now := time.Now()
	metrics.PushIfNotDone(cl.vu.vu.Context(), cl.state.Samples, metrics.ConnectedSamples{
		Samples: []metrics.Sample{
			{
				TimeSeries: metrics.TimeSeries{Metric: cl.vu.metrics.streamFailed, Tags: cl.tags.Tags},
				Time:       now, Metadata: cl.tags.Metadata, Value: failed,
			},
			{
				TimeSeries: metrics.TimeSeries{Metric: cl.vu.metrics.streamDuration, Tags: cl.tags.Tags},
				Time:       now, Metadata: cl.tags.Metadata, Value: eventstream.DurationMs(cl.res.totalAt),
			},
		},
		Tags: cl.tags.Tags,
		Time: now,
	})
}
