package sse

import (
	"math"
	"strings"

	"github.com/grafana/sobek"
)

// answerOpenAICompletion is the `answer` a request names when its reply is an
// OpenAI (chat) completion whose usage counts request reads in Go.
const answerOpenAICompletion = "openai-completion"

// completionUsage holds an OpenAI completion's usage counts.
type completionUsage struct {
	completionTokens, promptTokens float64
}

// scanCompletion is scanCompletion of lib/k6/targets/openai-text.ts step for
// step (same checks, same order, so both accept the same bodies): a compact
// answer starting with `{`, ending with `}`, with `"choices":[`, no
// `"timings"`, exactly one `"usage"` key whose flat object holds exactly one
// non-negative integer `"completion_tokens":` and `"prompt_tokens":` (read
// with JavaScript's Number()). ok is false for any other body; the caller then
// parses it as JSON. The patterns are ASCII, so byte offsets here and UTF-16
// offsets in JavaScript find the same places.
func scanCompletion(rt *sobek.Runtime, body string) (completionUsage, bool) {
	if !strings.HasPrefix(body, "{") || !strings.HasSuffix(trimJSEnd(body), "}") {
		return completionUsage{}, false
	}
	if !strings.Contains(body, `"choices":[`) || strings.Contains(body, `"timings"`) {
		return completionUsage{}, false
	}
	at := strings.Index(body, `"usage":{`)
	if at < 0 || strings.Contains(body[at+1:], `"usage"`) {
		return completionUsage{}, false
	}
	end := strings.IndexByte(body[at:], '}') + at // the body ends with `}`, so one is found
	usage := ""
	if end > at+9 {
		usage = body[at+9 : end]
	}
	completion, okC := countIn(rt, usage, `"completion_tokens":`)
	prompt, okP := countIn(rt, usage, `"prompt_tokens":`)
	if !okC || !okP {
		return completionUsage{}, false
	}
	return completionUsage{completionTokens: completion, promptTokens: prompt}, true
}

// countIn is countIn of openai-text.ts: the non-negative integer after the
// only occurrence of key, up to the next `,`.
func countIn(rt *sobek.Runtime, text, key string) (float64, bool) {
	at := strings.Index(text, key)
	if at < 0 || strings.Contains(text[at+1:], key) {
		return 0, false
	}
	from := at + len(key)
	to := strings.IndexByte(text[from:], ',')
	if to < 0 {
		to = len(text)
	} else {
		to += from
	}
	raw := trimJS(text[from:to])
	var n float64
	if d, ok := plainDigits(raw); ok {
		n = d // what Number(raw) gives for up to 15 decimal digits, without a JS value
	} else {
		n = rt.ToValue(raw).ToFloat() // JavaScript's Number(raw)
	}
	if raw == "" || math.IsNaN(n) || math.IsInf(n, 0) || math.Trunc(n) != n || n < 0 {
		return 0, false
	}
	return n, true
}

// plainDigits reads 1 to 15 ASCII decimal digits exactly (below 2^53).
func plainDigits(s string) (float64, bool) {
	if len(s) == 0 || len(s) > 15 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return float64(n), true
}

// completionToJS is the scan's answer in Outcome's field names, or null.
func completionToJS(rt *sobek.Runtime, u completionUsage, ok bool) sobek.Value {
	if !ok {
		return sobek.Null()
	}
	o := rt.NewObject()
	_ = o.Set("outputTokens", u.completionTokens)
	_ = o.Set("usageCompletionTokens", u.completionTokens)
	_ = o.Set("promptTokens", u.promptTokens)
	return o
}
