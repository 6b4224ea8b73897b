package genload

import (
	"bufio"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"sync"

	"go.k6.io/k6/js/common"
)

// With itlSamples: 'request' a request records one ITL sample (its mean
// gap), and its exact gaps go to the raw file (itlFile) as one compact line:
// {"i":12,"stage":"step-01","gaps":[21.503,20.118,0,...]} (ms, rounded to µs).
// One writer per path per process, shared by every VU; writes are buffered
// and flushed when the buffer fills, at the end of the test and at exit.

const gapWriterBufferBytes = 256 << 10

// k6's global event types (go.k6.io/k6/internal/event, v1.8.1): TestEnd
// after the last iteration and teardown, Exit before the process exits.
const (
	eventTestEnd = 3
	eventExit    = 6
)

type gapWriter struct {
	path   string
	mu     sync.Mutex
	file   *os.File
	buf    *bufio.Writer
	failed error // the first open or write error; later lines are dropped
	line   []byte
}

var gapWriters sync.Map // path → *gapWriter

// gapWriterFor is the process's writer for path; the first call subscribes
// it to k6's end-of-test events so the tail of the buffer reaches the file.
func gapWriterFor(path string, events common.Events) *gapWriter {
	v, loaded := gapWriters.LoadOrStore(path, &gapWriter{path: path})
	w := v.(*gapWriter)
	if !loaded && events.Global != nil {
		_, ch := events.Global.Subscribe(eventTestEnd, eventExit)
		go func() {
			for e := range ch {
				_ = w.flush(e.Type == eventExit)
				e.Done()
			}
		}()
	}
	return w
}

// write appends one request's line; the file is created at the first line
// (so `k6 archive` or `k6 inspect` create none). It returns the error that
// stopped the writer, once (later lines are dropped silently).
func (w *gapWriter) write(index int, stage string, gaps []float64) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.failed != nil {
		return nil
	}
	if w.file == nil {
		f, err := os.Create(w.path)
		if err != nil {
			w.failed = err
			return err
		}
		w.file, w.buf = f, bufio.NewWriterSize(f, gapWriterBufferBytes)
	}
	l := append(w.line[:0], `{"i":`...)
	l = strconv.AppendInt(l, int64(index), 10)
	l = append(l, `,"stage":`...)
	quoted, _ := json.Marshal(stage)
	l = append(l, quoted...)
	l = append(l, `,"gaps":[`...)
	for k, gap := range gaps {
		if k > 0 {
			l = append(l, ',')
		}
		l = strconv.AppendFloat(l, math.Round(gap*1000)/1000, 'f', -1, 64)
	}
	l = append(l, "]}\n"...)
	w.line = l
	if _, err := w.buf.Write(l); err != nil {
		w.failed = err
		return err
	}
	return nil
}

// flush writes the buffer out; closing also closes the file (a later line reopens nothing).
func (w *gapWriter) flush(closing bool) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.file == nil {
		return w.failed
	}
	err := w.buf.Flush()
	if closing {
		if cerr := w.file.Close(); err == nil {
			err = cerr
		}
		w.file, w.buf = nil, nil
		if w.failed == nil {
			w.failed = os.ErrClosed
		}
	}
	return err
}
