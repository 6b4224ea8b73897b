// Package eventstream is what k6/x/sse and k6/x/genload share to read a
// text/event-stream body: the parser (WHATWG EventSource processing model),
// the read limits and timeout, and the mapping of transport and stream errors
// to k6's error codes. It touches no JavaScript runtime.
package eventstream

import (
	"bytes"
	"fmt"
	"strconv"
)

// Event is one dispatched server-sent event, as the WHATWG EventSource
// processing model defines it (https://html.spec.whatwg.org/multipage/server-sent-events.html).
type Event struct {
	// ID is the last event ID seen on the stream so far: like EventSource's
	// lastEventId it persists from one event to the next until an `id:` line changes it.
	ID string
	// Name is the `event:` field, or "message" when the event had none.
	Name string
	// Data is every `data:` line of the event joined with "\n".
	Data string
}

// Parser turns the bytes of a text/event-stream body into events. It accepts
// the body in chunks of any size: a line, a line ending (CRLF split across two
// chunks included) or a UTF-8 byte order mark may be cut anywhere.
// A Parser is not safe for concurrent use.
type Parser struct {
	maxEventBytes int
	line          []byte // the current line, not yet terminated
	data          []byte // data lines of the pending event, each followed by "\n"
	eventType     string
	lastID        string
	retryMs       int64
	hasRetry      bool
	skipLF        bool // the previous chunk ended with CR: a leading LF ends that same line
	seenFirstLine bool // the byte order mark can only prefix the first line
}

// ErrEventTooLarge is returned when a line or a pending event grows past the
// parser's limit, so a server that never sends a blank line cannot exhaust memory.
type ErrEventTooLarge struct{ LimitBytes int }

func (e ErrEventTooLarge) Error() string {
	return fmt.Sprintf("sse event must be at most %d bytes, but the stream sent more without a blank line", e.LimitBytes)
}

// NewParser returns a parser that fails once a pending line plus event data
// exceed maxEventBytes.
func NewParser(maxEventBytes int) *Parser {
	return &Parser{maxEventBytes: maxEventBytes}
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Feed parses the next chunk of the stream and returns the events it
// completed, in stream order. An event is complete at the blank line after it;
// per the specification, an event still pending when the stream ends is dropped.
func (p *Parser) Feed(chunk []byte) ([]Event, error) {
	var events []Event
	err := p.FeedFunc(chunk, func(name string, data []byte) {
		events = append(events, Event{ID: p.lastID, Name: name, Data: string(data)})
	})
	return events, err
}

// FeedFunc is Feed without an Event per event: emit gets each completed
// event's name and data (data is only valid during the call), so a caller that
// only reads the data (k6/x/genload's stream reader) allocates nothing per event.
func (p *Parser) FeedFunc(chunk []byte, emit func(name string, data []byte)) error {
	for len(chunk) > 0 {
		if p.skipLF {
			p.skipLF = false
			if chunk[0] == '\n' {
				chunk = chunk[1:]
				continue
			}
		}
		end := bytes.IndexAny(chunk, "\r\n")
		if end < 0 {
			p.line = append(p.line, chunk...)
			break
		}
		p.line = append(p.line, chunk[:end]...)
		next := end + 1
		if chunk[end] == '\r' {
			if next < len(chunk) {
				if chunk[next] == '\n' {
					next++
				}
			} else {
				p.skipLF = true
			}
		}
		chunk = chunk[next:]
		p.processLine(p.line, emit)
		p.line = p.line[:0]
	}
	if len(p.line)+len(p.data) > p.maxEventBytes {
		return ErrEventTooLarge{LimitBytes: p.maxEventBytes}
	}
	return nil
}

// Retry returns the last valid `retry:` value in milliseconds. The extension
// never reconnects; the value is reported so a script can see what the server asked for.
func (p *Parser) Retry() (retryMs int64, ok bool) {
	return p.retryMs, p.hasRetry
}

func (p *Parser) processLine(line []byte, emit func(name string, data []byte)) {
	if !p.seenFirstLine {
		p.seenFirstLine = true
		line = bytes.TrimPrefix(line, utf8BOM)
	}
	if len(line) == 0 {
		p.dispatch(emit)
		return
	}
	if line[0] == ':' {
		return // a comment, often a keep-alive
	}
	field, value := line, []byte(nil)
	if colon := bytes.IndexByte(line, ':'); colon >= 0 {
		field, value = line[:colon], line[colon+1:]
		value = bytes.TrimPrefix(value, []byte{' '}) // exactly one space is part of the separator
	}
	switch string(field) {
	case "event":
		p.eventType = string(value)
	case "data":
		p.data = append(p.data, value...)
		p.data = append(p.data, '\n')
	case "id":
		if bytes.IndexByte(value, 0) < 0 {
			p.lastID = string(value)
		}
	case "retry":
		if isASCIIDigits(value) {
			if ms, err := strconv.ParseInt(string(value), 10, 64); err == nil {
				p.retryMs, p.hasRetry = ms, true
			}
		}
	}
	// any other field name is ignored, as the specification says
}

func (p *Parser) dispatch(emit func(name string, data []byte)) {
	if len(p.data) == 0 {
		p.eventType = ""
		return
	}
	name := p.eventType
	if name == "" {
		name = "message"
	}
	emit(name, p.data[:len(p.data)-1])
	p.data = p.data[:0]
	p.eventType = ""
}

func isASCIIDigits(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
