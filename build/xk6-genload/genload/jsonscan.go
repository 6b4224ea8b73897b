package genload

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// jsonValue is the raw text of one JSON value inside a document that
// json.Valid accepted, without surrounding white space. The answer readers
// (answer.go) look at a handful of fields of each answer or SSE chunk; reading
// them from the raw text instead of decoding into maps or structs costs no
// allocation per field and keeps JavaScript's semantics exactly: keys are
// case-sensitive (encoding/json's struct decoding is not), a repeated key's
// last value wins (as JSON.parse), and a field's type is what `typeof` and
// Array.isArray would say.
type jsonValue []byte

// parseJSON is tryJson: the document's value, or
// ok=false when the text is not JSON.
func parseJSON(text []byte) (jsonValue, bool) {
	if !json.Valid(text) {
		return nil, false
	}
	return jsonValue(bytes.TrimSpace(text)), true
}

func (v jsonValue) isObject() bool { return len(v) > 0 && v[0] == '{' }
func (v jsonValue) isArray() bool  { return len(v) > 0 && v[0] == '[' }
func (v jsonValue) isString() bool { return len(v) > 0 && v[0] == '"' }

// isNumber is `typeof v === 'number'` for a parsed JSON value.
func (v jsonValue) isNumber() bool {
	return len(v) > 0 && (v[0] == '-' || (v[0] >= '0' && v[0] <= '9'))
}

// number is the value of a JSON number (±Inf when it overflows, as in JavaScript).
func (v jsonValue) number() float64 {
	f, _ := strconv.ParseFloat(string(v), 64)
	return f
}

// str decodes a JSON string ("" for any other value).
func (v jsonValue) str() string {
	if !v.isString() {
		return ""
	}
	if bytes.IndexByte(v, '\\') < 0 {
		return string(v[1 : len(v)-1])
	}
	var s string
	_ = json.Unmarshal(v, &s)
	return s
}

// field is o[key] of an object: the last occurrence of key; ok=false when
// v is not an object or has no such key.
func (v jsonValue) field(key string) (jsonValue, bool) {
	var found jsonValue
	ok := false
	v.eachField(func(k, val jsonValue) {
		if k.equalsKey(key) {
			found, ok = val, true
		}
	})
	return found, ok
}

// equalsKey compares a raw key (a JSON string) with a plain key.
func (k jsonValue) equalsKey(key string) bool {
	if len(k) == len(key)+2 && string(k[1:len(k)-1]) == key {
		return true
	}
	return bytes.IndexByte(k, '\\') >= 0 && k.str() == key
}

// eachField calls fn for each key (raw JSON string) and value of an object, in order.
func (v jsonValue) eachField(fn func(key, value jsonValue)) {
	if !v.isObject() {
		return
	}
	i := skipSpace(v, 1)
	for i < len(v) && v[i] != '}' {
		keyEnd := skipValue(v, i)
		key := v[i:keyEnd]
		i = skipSpace(v, keyEnd)
		i = skipSpace(v, i+1) // the colon
		end := skipValue(v, i)
		fn(key, v[i:end])
		i = skipSpace(v, end)
		if i < len(v) && v[i] == ',' {
			i = skipSpace(v, i+1)
		}
	}
}

// eachElement calls fn for each element of an array, in order.
func (v jsonValue) eachElement(fn func(value jsonValue)) {
	if !v.isArray() {
		return
	}
	i := skipSpace(v, 1)
	for i < len(v) && v[i] != ']' {
		end := skipValue(v, i)
		fn(v[i:end])
		i = skipSpace(v, end)
		if i < len(v) && v[i] == ',' {
			i = skipSpace(v, i+1)
		}
	}
}

// length is the number of elements of an array (0 for any other value).
func (v jsonValue) length() int {
	n := 0
	v.eachElement(func(jsonValue) { n++ })
	return n
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the end of the valid JSON value starting at i.
func skipValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = skipString(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	default: // number, true, false, null
		for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' {
			i++
		}
		return i
	}
}

// skipString returns the end of the JSON string starting at i (its opening quote).
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}
