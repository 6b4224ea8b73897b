package genload

import (
	"math"
	"strings"

	"github.com/grafana/sobek"
)

// serverTimingFields maps Server-Timing metric names to the field names of
// genload's ServerTimings; unknown names are
// ignored. The order is the order fields appear in the object handed to JS.
var serverTimingFields = [...]struct{ name, field string }{
	{"queue", "queueMs"},
	{"total", "totalMs"},
	{"encode", "encodeMs"},
	{"prefill", "prefillMs"},
	{"denoise", "denoiseMs"},
	{"step", "stepMs"},
	{"decode", "decodeMs"},
	{"png", "pngMs"},
	{"ttft", "ttftMs"},
}

// serverTimings holds the durations (ms) found in one header; set marks which.
// The token counts come only from a `timings` object (llama.cpp's server).
type serverTimings struct {
	ms  [len(serverTimingFields)]float64
	set [len(serverTimingFields)]bool
	tokenCounts
}

// parseServerTiming is parseServerTimingHeader
// step for step, so both give the same numbers: entries split on `,`, params
// on `;`, the name trimmed and lower-cased, each `dur=` param (key trimmed,
// lower-cased) trimmed, one leading and one trailing `"` dropped, and read
// with JavaScript's Number() (so "" is 0 and "0x10" is 16); non-finite values
// are skipped and a later value of the same name wins.
// rt is the VU's runtime (only its number conversion is used).
func parseServerTiming(rt *sobek.Runtime, header string, present bool) serverTimings {
	var out serverTimings
	if !present || header == "" {
		return out
	}
	for _, entry := range strings.Split(header, ",") {
		params := strings.Split(entry, ";")
		field := fieldIndex(strings.ToLower(trimJS(params[0])))
		if field < 0 {
			continue
		}
		for _, p := range params[1:] {
			eq := strings.IndexByte(p, '=')
			if eq < 0 || strings.ToLower(trimJS(p[:eq])) != "dur" {
				continue
			}
			raw := trimJS(p[eq+1:])
			raw = strings.TrimPrefix(raw, `"`)
			raw = strings.TrimSuffix(raw, `"`)
			ms := rt.ToValue(raw).ToFloat() // JavaScript's Number(raw): sobek's StringToNumber
			if !math.IsNaN(ms) && !math.IsInf(ms, 0) {
				out.ms[field], out.set[field] = ms, true
			}
		}
	}
	return out
}

func fieldIndex(name string) int {
	for i, f := range serverTimingFields {
		if f.name == name {
			return i
		}
	}
	return -1
}

// isJSSpace is JavaScript's white space and line terminators (what trim removes).
func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// trimJS is String.prototype.trim.
func trimJS(s string) string { return strings.TrimFunc(s, isJSSpace) }

// trimJSEnd is String.prototype.trimEnd.
func trimJSEnd(s string) string { return strings.TrimRightFunc(s, isJSSpace) }

// serverTimingToJS is a plain object with only the fields the header set.
func serverTimingToJS(rt *sobek.Runtime, t serverTimings) *sobek.Object {
	o := rt.NewObject()
	for i, f := range serverTimingFields {
		if t.set[i] {
			_ = o.Set(f.field, t.ms[i])
		}
	}
	return o
}

// get is the duration of one Server-Timing metric (by name: queue, total, ...), if the header set it.
func (t *serverTimings) get(name string) opt {
	i := fieldIndex(name)
	if i < 0 {
		return opt{}
	}
	return opt{t.ms[i], t.set[i]}
}

// parseTimingsJSON is parseTimingsJson: the
// `<name>_ms` numbers of a `timings` object (the reference server's JSON
// form); any other value gives no timings.
func parseTimingsJSON(v jsonValue) serverTimings {
	var out serverTimings
	v.eachField(func(key, value jsonValue) {
		k := key.str()
		if out.tokenCounts.read(k, value) {
			return
		}
		if len(k) < 3 || k[len(k)-3:] != "_ms" || !value.isNumber() {
			return
		}
		k = llamaTimingName(k)
		ms := value.number()
		if math.IsInf(ms, 0) {
			return
		}
		if i := fieldIndex(k[:len(k)-3]); i >= 0 {
			out.ms[i], out.set[i] = ms, true
		}
	})
	return out
}

// merge is `{...t, ...over}`: the timings over sets replace t's.
func (t *serverTimings) merge(over serverTimings) {
	for i := range t.ms {
		if over.set[i] {
			t.ms[i], t.set[i] = over.ms[i], true
		}
	}
	t.tokenCounts.merge(over.tokenCounts)
}
