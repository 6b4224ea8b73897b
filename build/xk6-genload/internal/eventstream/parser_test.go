package eventstream

import (
	"errors"
	"reflect"
	"testing"
)

func TestParserWireFormat(t *testing.T) {
	cases := []struct {
		name   string
		stream string
		want   []Event
	}{
		{"single data line", "data: hello\n\n", []Event{{Name: "message", Data: "hello"}}},
		{"multi-line data joined with LF", "data: a\ndata: b\ndata:c\n\n", []Event{{Name: "message", Data: "a\nb\nc"}}},
		{"only one leading space is stripped", "data:  two\n\n", []Event{{Name: "message", Data: " two"}}},
		{"named event then default name again", "event: token\ndata: x\n\ndata: y\n\n",
			[]Event{{Name: "token", Data: "x"}, {Name: "message", Data: "y"}}},
		{"id persists across events", "id: 7\ndata: x\n\ndata: y\n\nid\ndata: z\n\n",
			[]Event{{ID: "7", Name: "message", Data: "x"}, {ID: "7", Name: "message", Data: "y"}, {ID: "", Name: "message", Data: "z"}}},
		{"id with NUL is ignored", "id: 1\n\nid: a\x00b\ndata: x\n\n", []Event{{ID: "1", Name: "message", Data: "x"}}},
		{"comments are skipped", ": keep-alive\ndata: x\n:another\n\n", []Event{{Name: "message", Data: "x"}}},
		{"CRLF line ends", "event: e\r\ndata: x\r\n\r\n", []Event{{Name: "e", Data: "x"}}},
		{"CR line ends", "data: x\rdata: y\r\r", []Event{{Name: "message", Data: "x\ny"}}},
		{"blank line without data dispatches nothing and resets the name", "event: e\n\ndata: x\n\n",
			[]Event{{Name: "message", Data: "x"}}},
		{"empty data field still dispatches", "data\n\n", []Event{{Name: "message", Data: ""}}},
		{"unknown fields are ignored", "foo: bar\ndata: x\n\n", []Event{{Name: "message", Data: "x"}}},
		{"pending event at end of stream is dropped", "data: x\n\ndata: unterminated\n", []Event{{Name: "message", Data: "x"}}},
		{"byte order mark at stream start", "\xEF\xBB\xBFdata: x\n\n", []Event{{Name: "message", Data: "x"}}},
		{"colon inside the value is kept", "data: {\"a\":1}\n\n", []Event{{Name: "message", Data: "{\"a\":1}"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// Whole stream at once, then one byte at a time: chunking must not change the result.
			for _, chunkBytes := range []int{len(tc.stream), 1, 2, 3} {
				got := feedInChunks(t, tc.stream, chunkBytes)
				if !reflect.DeepEqual(got, tc.want) {
					t.Fatalf("chunk size %d: got %#v, want %#v", chunkBytes, got, tc.want)
				}
			}
		})
	}
}

func TestParserCRLFSplitAcrossChunks(t *testing.T) {
	p := NewParser(1 << 20)
	var got []Event
	for _, chunk := range []string{"data: a\r", "\ndata: b\r", "\n\r", "\n"} {
		evs, err := p.Feed([]byte(chunk))
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, evs...)
	}
	// A CR then LF in the next chunk is one line end, so "a" and "b" are one event.
	want := []Event{{Name: "message", Data: "a\nb"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v, want %#v", got, want)
	}
}

func TestParserRetry(t *testing.T) {
	p := NewParser(1 << 20)
	if _, ok := p.Retry(); ok {
		t.Fatal("retry reported before any retry field")
	}
	mustFeed(t, p, "retry: 1500\nretry: 12x\nretry:\n\n")
	if ms, ok := p.Retry(); !ok || ms != 1500 {
		t.Fatalf("retry = %d, %v; want 1500, true (invalid values ignored)", ms, ok)
	}
}

func TestParserLimit(t *testing.T) {
	p := NewParser(16)
	if _, err := p.Feed([]byte("data: 0123456789\n")); err != nil {
		t.Fatalf("11 pending bytes are within the limit, but got %v", err)
	}
	_, err := p.Feed([]byte("data: more"))
	var tooLarge ErrEventTooLarge
	if !errors.As(err, &tooLarge) || tooLarge.LimitBytes != 16 {
		t.Fatalf("got %v, want ErrEventTooLarge{16}", err)
	}
	// A dispatched event frees its bytes: many small events never hit the limit.
	q := NewParser(16)
	for i := 0; i < 100; i++ {
		mustFeed(t, q, "data: 0123456\n\n")
	}
}

func feedInChunks(t *testing.T, stream string, chunkBytes int) []Event {
	t.Helper()
	p := NewParser(1 << 20)
	var got []Event
	for start := 0; start < len(stream); start += chunkBytes {
		end := min(start+chunkBytes, len(stream))
		evs, err := p.Feed([]byte(stream[start:end]))
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, evs...)
	}
	return got
}

func mustFeed(t *testing.T, p *Parser, s string) []Event {
	t.Helper()
	evs, err := p.Feed([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return evs
}
