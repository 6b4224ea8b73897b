package sse

import (
	"math"
	"strings"
)

// The seeded workload of lib/shared (stats/random.ts, workload/sample.ts,
// workload/prompts.ts) step for step, so the Go runner (runner.go) samples
// the very work items the TypeScript code would: same random stream, same
// arithmetic in the same order. Floating-point expressions are written with
// explicit float64 conversions where JavaScript rounds between two
// operations, so the compiler never fuses them (Go may fuse x*y+z on some
// CPUs; JavaScript never does). sobek's Math functions are Go's math package,
// so inside k6 the results are bit-identical; testdata/workload.golden.json
// (written from the TypeScript side) checks it.

// uniform is mulberry32 (seededUniform of stats/random.ts).
type uniform struct{ a uint32 }

func (u *uniform) next() float64 {
	u.a += 0x6d2b79f5
	t := u.a
	t = (t ^ (t >> 15)) * (t | 1)
	t ^= t + (t^(t>>7))*(t|61)
	return float64(t^(t>>14)) / 4294967296
}

// mixSeed is mixSeed of stats/random.ts (FNV-style mixing of 32-bit parts;
// JavaScript's `>>> 0` of a part is its ToUint32).
func mixSeed(parts ...float64) uint32 {
	h := uint32(0x811c9dc5)
	for _, p := range parts {
		h = (h ^ toUint32(p)) * 0x01000193
		h = (h ^ (h >> 13)) * 0x5bd1e995
	}
	return h
}

// toUint32 is ECMAScript's ToUint32.
func toUint32(f float64) uint32 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return uint32(int64(math.Mod(math.Trunc(f), 4294967296)))
}

// normal is Box-Muller (normal of stats/random.ts).
func normal(u *uniform) float64 {
	u1 := math.Max(u.next(), math.SmallestNonzeroFloat64)
	r := math.Sqrt(float64(-2 * math.Log(u1)))
	return float64(r * math.Cos(float64(2*math.Pi*u.next())))
}

// exponential is exponential of stats/random.ts.
func exponential(u *uniform, mean float64) float64 {
	return float64(-math.Log(float64(1-u.next())) * mean)
}

// jsRound is JavaScript's Math.round (as sobek implements it).
func jsRound(f float64) float64 {
	if math.IsNaN(f) || f == 0 {
		return f
	}
	t := math.Trunc(f)
	if f >= 0 {
		if f-t >= 0.5 {
			return t + 1
		}
		return t
	}
	if t-f > 0.5 {
		return t - 1
	}
	if t == 0 {
		return math.Copysign(0, -1)
	}
	return t
}

// promptLength is one entry of LENGTHS of workload/prompts.ts.
type promptLength struct{ median, sigma, min, max float64 }

var shortPrompts, longPrompts = promptLength{16, 0.5, 4, 64}, promptLength{256, 0.4, 96, 1024}

// mixedShortShare is MIXED_SHORT_SHARE of workload/prompts.ts.
const mixedShortShare = 0.7

func samplePromptWords(u *uniform, set string) float64 {
	d := shortPrompts
	switch set {
	case "long":
		d = longPrompts
	case "mixed":
		if u.next() >= mixedShortShare {
			d = longPrompts
		}
	}
	words := jsRound(float64(d.median * math.Exp(float64(d.sigma*normal(u)))))
	return math.Min(d.max, math.Max(d.min, words))
}

// promptPool is the seeded pool text of workload/prompts.ts, handed over by
// the script (promptPool()): every prompt is a window of it.
type promptPool struct {
	text   string
	starts []int // starts[i]: offset of word i; starts[len-1] = len(text) + 1
}

func (p *promptPool) words() int { return len(p.starts) - 1 }

// start is `p.starts[i] ?? fallback`.
func (p *promptPool) start(i int, fallback int) int {
	if i < 0 || i >= len(p.starts) {
		return fallback
	}
	return p.starts[i]
}

// promptText is promptText of workload/prompts.ts.
func (p *promptPool) promptText(u *uniform, words float64) string {
	n := p.words()
	var parts []string
	for left := int(math.Max(0, math.Floor(words))); left > 0; left -= n {
		take := min(left, n)
		first := int(math.Floor(float64(u.next() * float64(n-take+1))))
		from, to := p.start(first, 0), p.start(first+take, 1)-1
		parts = append(parts, jsSlice(p.text, from, to))
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts, " ")
}

// jsSlice is String.prototype.slice for ASCII text (the pool is ASCII).
func jsSlice(s string, from, to int) string {
	from, to = max(0, min(from, len(s))), max(0, min(to, len(s)))
	if from >= to {
		return ""
	}
	return s[from:to]
}

// capPrompt is capPrompt of workload/sample.ts (ASCII text).
func capPrompt(prompt string, maxChars float64) string {
	if maxChars <= 0 || float64(len(prompt)) <= maxChars {
		return prompt
	}
	cut := prompt[:int(maxChars)]
	if space := strings.LastIndexByte(cut, ' '); space > 0 {
		return cut[:space]
	}
	return cut
}

// workloadSpec holds the knobs of Workload that sampleWork reads; the mixes
// arrive parsed (mixOf of workload/sample.ts, done by the script).
type workloadSpec struct {
	promptSet      string
	maxTokens      float64
	maxTokensDist  string
	maxPromptChars float64
	stream         bool
	sizes, steps   []float64
}

// workItem is WorkItem of workload/sample.ts (llm: prompt, promptWords,
// maxTokens, stream, seed; image: prompt, sizePx, steps, seed).
type workItem struct {
	llm           bool
	prompt        string
	promptWords   float64
	maxTokens     float64
	stream        bool
	seed          float64
	sizePx, steps float64
}

func (w *workloadSpec) sampleMaxTokens(u *uniform) float64 {
	switch w.maxTokensDist {
	case "uniform":
		return 1 + math.Floor(float64(u.next()*w.maxTokens))
	case "exponential":
		return math.Min(w.maxTokens, math.Max(1, jsRound(exponential(u, float64(w.maxTokens/2)))))
	default: // fixed
		return w.maxTokens
	}
}

func pick(u *uniform, values []float64) float64 {
	i := int(math.Floor(float64(u.next() * float64(len(values)))))
	if i >= 0 && i < len(values) {
		return values[i]
	}
	if len(values) > 0 {
		return values[0]
	}
	return 0
}

// sampleWork is sampleWork of workload/sample.ts.
func (w *workloadSpec) sampleWork(u *uniform, pool *promptPool, llm bool) workItem {
	seed := math.Floor(float64(u.next() * 2147483648))
	if llm {
		words := samplePromptWords(u, w.promptSet)
		prompt := capPrompt(pool.promptText(u, words), w.maxPromptChars)
		return workItem{llm: true, prompt: prompt, promptWords: words, maxTokens: w.sampleMaxTokens(u), stream: w.stream, seed: seed}
	}
	words := samplePromptWords(u, "short")
	prompt := pool.promptText(u, words)
	size := pick(u, w.sizes)
	return workItem{prompt: prompt, sizePx: size, steps: pick(u, w.steps), seed: seed}
}
