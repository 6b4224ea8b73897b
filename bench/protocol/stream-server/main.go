// A zero-cost OpenAI chat streaming endpoint for the protocol benchmark: every
// POST (any path) reads the body and answers with TOKENS chunks of one token
// each, flushed one by one, then a usage chunk and [DONE]; GET answers 200
// (readiness probes). Prints {"url": ...} once listening on loopback.
//
//	go run . [tokens] [gap-ms]   (default 64 tokens, no gap; a gap sleeps that
//	long before each token after the first: a target with a known latency)
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"
)

func main() {
	tokens := 64
	if len(os.Args) > 1 {
		n, err := strconv.Atoi(os.Args[1])
		if err != nil || n < 1 {
			fmt.Fprintf(os.Stderr, "tokens: must be a whole number >= 1, but is %q\n", os.Args[1])
			os.Exit(2)
		}
		tokens = n
	}
	gap := time.Duration(0)
	if len(os.Args) > 2 {
		ms, err := strconv.ParseFloat(os.Args[2], 64)
		if err != nil || ms < 0 || ms > 10000 {
			fmt.Fprintf(os.Stderr, "gap-ms: must be a number from 0 to 10000, but is %q\n", os.Args[2])
			os.Exit(2)
		}
		gap = time.Duration(ms * float64(time.Millisecond))
	}
	chunk := []byte(`data: {"id":"z","object":"chat.completion.chunk","created":0,"model":"zero","choices":[{"index":0,"delta":{"content":"tok"},"finish_reason":null}]}` + "\n\n")
	tail := []byte(fmt.Sprintf(`data: {"id":"z","object":"chat.completion.chunk","created":0,"model":"zero","choices":[],"usage":{"prompt_tokens":8,"completion_tokens":%d,"total_tokens":%d}}`+"\n\ndata: [DONE]\n\n", tokens, tokens+8))
	models := []byte(`{"object":"list","data":[{"id":"zero","object":"model"}]}`)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("{\"url\":\"http://%s\"}\n", ln.Addr())
	err = http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(models)
			return
		}
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-cache")
		f := w.(http.Flusher)
		for i := 0; i < tokens; i++ {
			if i > 0 && gap > 0 {
				time.Sleep(gap)
			}
			_, _ = w.Write(chunk)
			f.Flush()
		}
		_, _ = w.Write(tail)
	}))
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
