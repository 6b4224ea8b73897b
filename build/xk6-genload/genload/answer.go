package genload

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// An answer kind says how a route's answers are read: a whole JSON body
// (read) or an SSE stream whose events' data are interpreted one by one
// (interpret). This is the one implementation (the TypeScript targets it
// replaced are gone).
type answerKind struct {
	// classes the kind can read (classLLM, classImage)
	llm, image bool
	// read fills a success's class-specific fields from the parsed body
	// (parsed=false: the body is not JSON); a non-empty result is the
	// protocol error of an answer without the fields the kind needs.
	read func(o *outcome, body jsonValue, parsed bool, req *workRequest) string
	// interpret is one SSE event's data (stream kinds only)
	interpret func(data []byte) chunkMeaning
}

var answerKinds = map[string]answerKind{
	"openai":              {llm: true, read: readOpenAI},
	"openai-stream":       {llm: true, interpret: interpretOpenAI},
	"tgi":                 {llm: true, read: readTGI},
	"tgi-stream":          {llm: true, interpret: interpretTGI},
	"kserve-v2":           {llm: true, image: true, read: readKServe},
	"openai-images":       {image: true, read: readImages(false)},
	"openai-images-steps": {image: true, read: readImages(true)},
	"generic-json":        {llm: true, image: true, read: readGeneric},
}

// readOpenAI is readCompletion: a choices
// array is required; usage.completion_tokens gives the output tokens (0
// without usage), usage.prompt_tokens the prompt tokens when it is a number.
func readOpenAI(o *outcome, body jsonValue, parsed bool, _ *workRequest) string {
	choices, _ := body.field("choices")
	if !parsed || !body.isObject() || !choices.isArray() {
		return "answer has no choices array"
	}
	o.outTokens = opt{0, true}
	usage, _ := body.field("usage")
	completion, _ := usage.field("completion_tokens")
	if !usage.isObject() || !completion.isNumber() {
		return ""
	}
	o.outTokens = opt{completion.number(), true}
	if prompt, _ := usage.field("prompt_tokens"); prompt.isNumber() {
		o.promptTokens = opt{prompt.number(), true}
	}
	o.cachedTokens = cachedTokensOf(usage)
	return ""
}

// readTGI is the /generate reader: generated_text
// is required; details.generated_tokens, when a number, is the output tokens.
func readTGI(o *outcome, body jsonValue, parsed bool, _ *workRequest) string {
	text, _ := body.field("generated_text")
	if !parsed || !body.isObject() || !text.isString() {
		return "answer has no generated_text"
	}
	details, _ := body.field("details")
	if tokens, _ := details.field("generated_tokens"); details.isObject() && tokens.isNumber() {
		o.outTokens = opt{tokens.number(), true}
	}
	return ""
}

// readKServe reads a KServe v2 answer: an outputs array is required;
// an image answer counts one image and the request's steps.
func readKServe(o *outcome, body jsonValue, parsed bool, req *workRequest) string {
	outputs, _ := body.field("outputs")
	if !parsed || !body.isObject() || !outputs.isArray() {
		return "answer has no outputs array"
	}
	if req.class == classImage {
		o.images, o.steps = opt{1, true}, opt{req.steps, true}
	}
	return ""
}

// readImages is sendImage: a data array is
// required, images = its length; withSteps (the reference server) also
// counts the request's steps.
func readImages(withSteps bool) func(o *outcome, body jsonValue, parsed bool, req *workRequest) string {
	return func(o *outcome, body jsonValue, parsed bool, req *workRequest) string {
		data, _ := body.field("data")
		if !parsed || !body.isObject() || !data.isArray() {
			return "answer has no data array"
		}
		o.images = opt{float64(data.length()), true}
		if withSteps {
			o.steps = opt{req.steps, true}
		}
		return ""
	}
}

// readGeneric reads any JSON answer: any answer that did not
// fail; an image counts one image and the request's steps.
func readGeneric(o *outcome, _ jsonValue, _ bool, req *workRequest) string {
	if req.class == classImage {
		o.images, o.steps = opt{1, true}, opt{req.steps, true}
	}
	return ""
}

// chunkMeaning is ChunkMeaning (without textChars,
// which nothing records).
type chunkMeaning struct {
	pieces int
	// usage as the server counted it, when this event carries it
	hasUsage                       bool
	promptTokens, completionTokens float64
	cachedTokens                   opt // usage.prompt_tokens_details.cached_tokens
	timings                        *serverTimings
	done                           bool
	err                            string
}

// interpretOpenAI is interpretOpenAiData.
func interpretOpenAI(data []byte) chunkMeaning {
	trimmed := bytes.TrimFunc(data, isJSSpace)
	if string(trimmed) == "[DONE]" {
		return chunkMeaning{done: true}
	}
	v, ok := parseJSON(trimmed)
	if !ok || !v.isObject() {
		if len(trimmed) == 0 {
			return chunkMeaning{}
		}
		return chunkMeaning{err: "stream event is not JSON: " + prefixRunes(trimmed, 80)}
	}
	var out chunkMeaning
	v.eachField(func(key, value jsonValue) {
		switch {
		case key.equalsKey("choices"):
			out.pieces = 0
			value.eachElement(func(choice jsonValue) {
				if hasText(choice) {
					out.pieces++
				}
			})
		case key.equalsKey("error"):
			out.err = ""
			if value.isObject() {
				out.err = errorMessage(value)
			}
		case key.equalsKey("usage"):
			completion, _ := value.field("completion_tokens")
			out.hasUsage = value.isObject() && completion.isNumber()
			if out.hasUsage {
				out.completionTokens, out.promptTokens = completion.number(), 0
				if prompt, _ := value.field("prompt_tokens"); prompt.isNumber() {
					out.promptTokens = prompt.number()
				}
				out.cachedTokens = cachedTokensOf(value)
			}
		case key.equalsKey("timings"):
			out.timings = nil
			if value.isObject() {
				t := parseTimingsJSON(value)
				out.timings = &t
			}
		}
	})
	return out
}

// hasText is textOf(choice) !== ”: a non-empty
// string delta.content, else a non-empty string text.
func hasText(choice jsonValue) bool {
	if !choice.isObject() {
		return false
	}
	delta, _ := choice.field("delta")
	if content, _ := delta.field("content"); delta.isObject() && content.isString() {
		return len(content) > 2
	}
	text, _ := choice.field("text")
	return text.isString() && len(text) > 2
}

// errorMessage is the message of an in-stream error object: its message
// string, else the object as JSON (200 characters at most).
func errorMessage(errObj jsonValue) string {
	if m, _ := errObj.field("message"); m.isString() {
		return m.str()
	}
	var compact bytes.Buffer
	_ = json.Compact(&compact, errObj)
	return prefixRunes(compact.Bytes(), 200)
}

// interpretTGI is interpretTgiData: a token that is
// not special is one piece; a string generated_text ends the stream, with
// details.generated_tokens as the server's count.
func interpretTGI(data []byte) chunkMeaning {
	trimmed := bytes.TrimFunc(data, isJSSpace)
	v, ok := parseJSON(trimmed)
	if !ok || !v.isObject() {
		if len(trimmed) == 0 {
			return chunkMeaning{}
		}
		return chunkMeaning{err: "stream event is not JSON: " + prefixRunes(data, 80)}
	}
	var out chunkMeaning
	if e, _ := v.field("error"); e.isString() {
		out.err = e.str()
	}
	token, _ := v.field("token")
	special, _ := token.field("special")
	if text, _ := token.field("text"); token.isObject() && string(special) != "true" && text.isString() {
		out.pieces = 1
	}
	if generated, _ := v.field("generated_text"); generated.isString() {
		out.done = true
		details, _ := v.field("details")
		if tokens, _ := details.field("generated_tokens"); details.isObject() && tokens.isNumber() {
			out.hasUsage, out.completionTokens = true, tokens.number()
		}
	}
	return out
}

// prefixRunes is text.slice(0, n) for text without characters outside the
// Basic Multilingual Plane (JavaScript counts UTF-16 units, this counts runes).
func prefixRunes(text []byte, n int) string {
	end := 0
	for i := 0; i < n && end < len(text); i++ {
		_, size := utf8.DecodeRune(text[end:])
		end += size
	}
	return string(text[:end])
}
