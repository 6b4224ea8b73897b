package sse

import (
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/grafana/sobek"
)

// bodyTemplate is a request body with holes for a work item's fields:
// literals[0] hole[0] literals[1] ... hole[n-1] literals[n]. The script
// derives it from the target's own body code (lib/k6/run/native.ts) and
// checks that fill gives the body that code builds before the runner uses it.
type bodyTemplate struct {
	literals []string
	holes    []hole
}

type hole int

const (
	holePrompt    hole = iota // the prompt, JSON-escaped, without quotes
	holeMaxTokens             // numbers as JavaScript's String(n)
	holeSeed
	holeSizePx
	holeSteps
)

var holeNames = map[string]hole{"prompt": holePrompt, "maxTokens": holeMaxTokens, "seed": holeSeed, "sizePx": holeSizePx, "steps": holeSteps}

func newBodyTemplate(literals, holes []string) (bodyTemplate, error) {
	if len(literals) != len(holes)+1 {
		return bodyTemplate{}, fmt.Errorf("body template: must have one literal more than holes, but has %d literals and %d holes", len(literals), len(holes))
	}
	t := bodyTemplate{literals: literals, holes: make([]hole, len(holes))}
	for i, name := range holes {
		h, ok := holeNames[name]
		if !ok {
			return bodyTemplate{}, fmt.Errorf("body template: hole %d must be prompt, maxTokens, seed, sizePx or steps, but is '%s'", i, name)
		}
		t.holes[i] = h
	}
	return t, nil
}

// plainJSON reports whether s needs no escaping inside a JSON string.
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// fill writes the body of one work item; plainPrompt: the prompt is known to
// need no escaping (a window of a plain pool text), so it is copied as is.
func (t *bodyTemplate) fill(rt *sobek.Runtime, w *workItem, plainPrompt bool) []byte {
	size := len(w.prompt) + 16*len(t.holes)
	for _, l := range t.literals {
		size += len(l)
	}
	b := make([]byte, 0, size)
	for i, h := range t.holes {
		b = append(b, t.literals[i]...)
		switch h {
		case holePrompt:
			if plainPrompt {
				b = append(b, w.prompt...)
			} else {
				b = appendJSONEscaped(b, w.prompt)
			}
		case holeMaxTokens:
			b = appendJSNumber(rt, b, w.maxTokens)
		case holeSeed:
			b = appendJSNumber(rt, b, w.seed)
		case holeSizePx:
			b = appendJSNumber(rt, b, w.sizePx)
		case holeSteps:
			b = appendJSNumber(rt, b, w.steps)
		}
	}
	return append(b, t.literals[len(t.literals)-1]...)
}

// appendJSNumber is String(n) of JavaScript: integers below 2^53 directly,
// anything else through sobek's own conversion.
func appendJSNumber(rt *sobek.Runtime, b []byte, f float64) []byte {
	if f == math.Trunc(f) && math.Abs(f) < 1<<53 && !(f == 0 && math.Signbit(f)) {
		return strconv.AppendInt(b, int64(f), 10)
	}
	if f == 0 {
		return append(b, '0') // String(-0) is "0"
	}
	return append(b, rt.ToValue(f).String()...)
}

const hexDigits = "0123456789abcdef"

// appendJSONEscaped is the inside of JSON.stringify(s): `"` and `\` escaped,
// \b \f \n \r \t by name, other controls as \u00xx (lowercase hex), lone
// surrogates (WTF-8 from sobek's UTF-16 strings arrive as U+FFFD here, so
// they never reach this path in practice) as \uxxxx; everything else as is.
func appendJSONEscaped(b []byte, s string) []byte {
	plain := 0 // the common case, plain ASCII text: one copy
	for plain < len(s) && s[plain] >= 0x20 && s[plain] != '"' && s[plain] != '\\' && s[plain] < utf8.RuneSelf {
		plain++
	}
	b = append(b, s[:plain]...)
	for i := plain; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			b = append(b, c)
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			b = utf8.AppendRune(b, r)
			i += n
			continue
		}
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
	}
	return b
}
