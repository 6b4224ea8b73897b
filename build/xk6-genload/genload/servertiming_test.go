package genload

import (
	"testing"

	"github.com/grafana/sobek"
	"github.com/stretchr/testify/require"
)

// Server-Timing durations read as JavaScript's Number() reads them (the rule the
// script-side parser this replaced followed, kept so recorded runs compare): "" is 0,
// hex and binary literals parse.
func TestParseServerTimingReadsDurationsAsJavaScriptNumbers(t *testing.T) {
	t.Parallel()
	cases := []struct {
		header string
		want   map[string]float64
	}{
		{"", map[string]float64{}},
		{"total;dur=12.5", map[string]float64{"totalMs": 12.5}},
		{"queue;dur=1.2, total;dur=80", map[string]float64{"queueMs": 1.2, "totalMs": 80}},
		{` TOTAL ; DUR = "3.5" `, map[string]float64{"totalMs": 3.5}},
		{"total;dur=", map[string]float64{"totalMs": 0}},
		{`total;dur="`, map[string]float64{"totalMs": 0}},
		{"total;dur=0x10", map[string]float64{"totalMs": 16}},
		{"total;dur=1e3", map[string]float64{"totalMs": 1000}},
		{"total;dur=Infinity", map[string]float64{}},
		{"total;dur=abc", map[string]float64{}},
		{`total;desc="x";dur=4;dur=5`, map[string]float64{"totalMs": 5}},
		{"total;dur=1, total;dur=2", map[string]float64{"totalMs": 2}},
		{"unknown;dur=3, step;dur=7", map[string]float64{"stepMs": 7}},
		{"denoise;dur=1_0", map[string]float64{}},
		{"total", map[string]float64{}},
		{"png;dur=\t2\t", map[string]float64{"pngMs": 2}},
		{"ttft;dur=-1.5e-2", map[string]float64{"ttftMs": -0.015}},
		{"encode;dur= 0b11", map[string]float64{"encodeMs": 3}},
		{"decode;dur=.5", map[string]float64{"decodeMs": 0.5}},
		{"prefill;dur=5.", map[string]float64{"prefillMs": 5}},
	}
	rt := sobek.New()
	for _, c := range cases {
		got := map[string]float64{}
		obj := serverTimingToJS(rt, parseServerTiming(rt, c.header, true))
		for _, k := range obj.Keys() {
			got[k] = obj.Get(k).ToFloat()
		}
		require.Equal(t, c.want, got, "header %q", c.header)
	}
}

func TestParseServerTimingWithoutTheHeaderIsEmpty(t *testing.T) {
	t.Parallel()
	rt := sobek.New()
	require.Empty(t, serverTimingToJS(rt, parseServerTiming(rt, "total;dur=3", false)).Keys())
}
