package sse

import (
	"testing"

	"github.com/grafana/sobek"
	"github.com/stretchr/testify/require"
)

// The expected answers are scanCompletion's (lib/k6/targets/openai-text.ts)
// for the same bodies under Node: the Go scan must accept and read exactly
// what the JavaScript one does.
func TestScanCompletionAgreesWithTheJavaScriptScan(t *testing.T) {
	t.Parallel()
	type counts = *completionUsage
	cases := []struct {
		body string
		want counts
	}{
		{`{"id":"z","choices":[{"index":0}],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}`, &completionUsage{2, 1}},
		{"{\"choices\":[],\"usage\":{\"completion_tokens\":7,\"prompt_tokens\":5}}  \n", &completionUsage{7, 5}},
		{` {"choices":[],"usage":{"completion_tokens":7,"prompt_tokens":5}}`, nil},
		{`{"choices":[],"usage":{"completion_tokens":7,"prompt_tokens":5}`, &completionUsage{7, 5}},
		{`{"choices":{},"usage":{"completion_tokens":7,"prompt_tokens":5}}`, nil},
		{`{"choices":[],"timings":{},"usage":{"completion_tokens":7,"prompt_tokens":5}}`, nil},
		{`{"choices":[],"usage":{"completion_tokens":7,"prompt_tokens":5},"x":"usage"}`, nil},
		{`{"choices":[]}`, nil},
		{`{"choices":[],"usage":{"prompt_tokens":5}}`, nil},
		{`{"choices":[],"usage":{"completion_tokens": 7 ,"prompt_tokens": 0x10}}`, &completionUsage{7, 16}},
		{`{"choices":[],"usage":{"completion_tokens":7.5,"prompt_tokens":5}}`, nil},
		{`{"choices":[],"usage":{"completion_tokens":-1,"prompt_tokens":5}}`, nil},
		{`{"choices":[],"usage":{"completion_tokens":,"prompt_tokens":5}}`, nil},
		{`{"choices":[],"usage":{"completion_tokens":1e2,"prompt_tokens":5}}`, &completionUsage{100, 5}},
		{`{"choices":[],"usage":{"completion_tokens":3,"completion_tokens":4,"prompt_tokens":5}}`, nil},
		{`{"choices":[],"usage":{"completion_tokens":3,"prompt_tokens":5,"details":{"cached":1}}}`, &completionUsage{3, 5}},
		{`{"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":3}}`, &completionUsage{3, 5}},
		{`{"choices":[{"message":{"content":"héllo ✓"}}],"usage":{"prompt_tokens":2,"completion_tokens":9}}`, &completionUsage{9, 2}},
		{`{"choices":[],"usage":{}}`, nil},
		{``, nil},
	}
	rt := sobek.New()
	for _, c := range cases {
		got, ok := scanCompletion(rt, c.body)
		if c.want == nil {
			require.False(t, ok, c.body)
			continue
		}
		require.True(t, ok, c.body)
		require.Equal(t, *c.want, got, c.body)
	}
}
