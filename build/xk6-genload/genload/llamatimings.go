package genload

import "math"

// llama.cpp's server describes each request in a `timings` object (in a
// non-streamed answer, and in the last chunk of a stream):
// prompt_n / prompt_ms (prompt tokens it computed and the time: prefill),
// cache_n (prompt tokens it reused from the slot's prompt cache),
// predicted_n / predicted_ms (tokens generated and the time: decode), and in
// usage.prompt_tokens_details.cached_tokens the cached count again
// (OpenAI's field). These are read only where a `timings` or `usage` key
// appears, so the per-event cost of a stream does not change.

// llamaTimingName maps llama.cpp's duration keys onto genload's timing names:
// prompt_ms is the prefill, predicted_ms the decode.
func llamaTimingName(key string) string {
	switch key {
	case "prompt_ms":
		return "prefill_ms"
	case "predicted_ms":
		return "decode_ms"
	}
	return key
}

// tokenCounts are the server's own token counts of one request.
type tokenCounts struct {
	promptN, cacheN, predictedN opt
}

// read takes one `timings` key; true when it was a count.
func (c *tokenCounts) read(key string, value jsonValue) bool {
	var dst *opt
	switch key {
	case "prompt_n":
		dst = &c.promptN
	case "cache_n":
		dst = &c.cacheN
	case "predicted_n":
		dst = &c.predictedN
	default:
		return false
	}
	if value.isNumber() {
		if n := value.number(); !math.IsNaN(n) && !math.IsInf(n, 0) && n >= 0 {
			*dst = opt{n, true}
		}
	}
	return true
}

func (c *tokenCounts) merge(over tokenCounts) {
	for _, p := range [...]struct{ dst, src *opt }{{&c.promptN, &over.promptN}, {&c.cacheN, &over.cacheN}, {&c.predictedN, &over.predictedN}} {
		if p.src.set {
			*p.dst = *p.src
		}
	}
}

// cachedTokensOf is usage.prompt_tokens_details.cached_tokens, when a number.
func cachedTokensOf(usage jsonValue) opt {
	details, _ := usage.field("prompt_tokens_details")
	if cached, _ := details.field("cached_tokens"); details.isObject() && cached.isNumber() {
		return opt{cached.number(), true}
	}
	return opt{}
}

// promptCache is how many of a request's prompt tokens the server served
// from its prompt cache, out of how many: llama.cpp's timings (cache_n of
// cache_n + prompt_n), else usage's cached_tokens of prompt_tokens. Not set
// when the server reported neither.
func promptCache(o *outcome) (cached, total opt) {
	t := &o.server.tokenCounts
	if t.cacheN.set && t.promptN.set {
		return t.cacheN, opt{t.cacheN.v + t.promptN.v, true}
	}
	if o.cachedTokens.set && o.promptTokens.set && o.promptTokens.v > 0 {
		return o.cachedTokens, o.promptTokens
	}
	return opt{}, opt{}
}
