package sse

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/grafana/sobek"

	"go.k6.io/k6/lib/types"

	"github.com/genload/xk6-genload/internal/eventstream"
)

// openParams is the validated second argument of sse.open.
type openParams struct {
	method  string
	body    []byte
	headers http.Header
	tags    map[string]string
	timeout time.Duration
}

var validParamKeys = []string{"body", "headers", "method", "tags", "timeout"}

// parseParams validates every key at once and returns one error listing all
// problems, so a script author fixes them in one go.
func parseParams(rt *sobek.Runtime, v sobek.Value) (openParams, error) {
	p := openParams{method: http.MethodGet, headers: http.Header{}, tags: map[string]string{}, timeout: eventstream.DefaultTimeout}
	if v == nil || sobek.IsUndefined(v) || sobek.IsNull(v) {
		return p, nil
	}
	obj := v.ToObject(rt)
	var problems []string
	for _, key := range obj.Keys() {
		val := obj.Get(key)
		switch key {
		case "method":
			p.method = strings.ToUpper(val.String())
			if p.method == "" || strings.ContainsAny(p.method, " \t\r\n") {
				problems = append(problems, fmt.Sprintf("params.method must be an HTTP method name, but is %q", val.String()))
			}
		case "body":
			body, err := exportBody(val)
			if err != nil {
				problems = append(problems, err.Error())
			}
			p.body = body
		case "headers":
			for name, value := range exportStringMap(rt, val) {
				p.headers.Set(name, value)
			}
		case "tags":
			p.tags = exportStringMap(rt, val)
		case "timeout":
			d, err := types.GetDurationValue(val.Export())
			if err != nil || d <= 0 {
				problems = append(problems, fmt.Sprintf(
					"params.timeout must be a positive duration (\"30s\" or milliseconds), but is %q", val.String()))
			}
			p.timeout = d
		default:
			problems = append(problems, fmt.Sprintf(
				"params.%s is not a known option; valid options are %s", key, strings.Join(validParamKeys, ", ")))
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return p, errors.New("sse.open: " + strings.Join(problems, "; "))
	}
	return p, nil
}

func exportBody(val sobek.Value) ([]byte, error) {
	if sobek.IsUndefined(val) || sobek.IsNull(val) {
		return nil, nil
	}
	switch b := val.Export().(type) {
	case string:
		return []byte(b), nil
	case sobek.ArrayBuffer:
		return b.Bytes(), nil
	case []byte:
		return b, nil
	default:
		return nil, fmt.Errorf("params.body must be a string or an ArrayBuffer, but is %T", b)
	}
}

// exportStringMap reads a plain object whose values are converted with String().
func exportStringMap(rt *sobek.Runtime, val sobek.Value) map[string]string {
	out := map[string]string{}
	if sobek.IsUndefined(val) || sobek.IsNull(val) {
		return out
	}
	obj := val.ToObject(rt)
	for _, k := range obj.Keys() {
		out[k] = obj.Get(k).String()
	}
	return out
}
