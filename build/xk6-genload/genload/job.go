package genload

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"go.k6.io/k6/lib"
	"go.k6.io/k6/lib/netext/httpext"
	"go.k6.io/k6/metrics"

	"github.com/genload/xk6-genload/internal/eventstream"
)

// sendJob is submitAndPoll: POST the
// line's body to submitUrl (202 {id}), then GET pollUrl + id every
// pollIntervalMs until the job is succeeded, failed or cancelled, at most
// timeoutMs / pollIntervalMs + 1 polls. End-to-end latency runs from the
// submission to the poll that saw the job finished. The requests carry the
// tag name=jobs-submit or jobs-poll. false: the test stopped.
func (c *genloadClient) sendJob(state *lib.State, req *workRequest, tags metrics.TagsAndMeta, o *outcome) bool {
	j := c.job
	started := time.Now()
	since := func() float64 { return eventstream.DurationMs(time.Since(started)) }
	fail := func(status, errorCode int, text string) bool {
		o.status, o.errText, o.e2e = status, text, since()
		if o.errorClass = classifyFailure(status, errorCode); o.errorClass == "" {
			o.errorClass = "protocol"
		}
		return true
	}
	submitTags := metrics.TagsAndMeta{Tags: tags.Tags.With("name", "jobs-submit"), Metadata: tags.Metadata}
	submit, ok := c.do(state, &j.submit, req.body, submitTags)
	if !ok {
		return false
	}
	answer, parsed := parseJSON(submit.body)
	id, _ := answer.field("id")
	if submit.status != 202 || !parsed || !answer.isObject() || !id.isString() {
		return fail(submit.status, submit.errorCode, "submit: "+failureText(submit.status, submit.errText, submit.body))
	}
	j.poll.httpHeader(state)
	pollURL := j.poll // the id is appended as the server sent it
	pollURL.rawURL += id.str()
	u, err := httpext.ToURL(pollURL.rawURL)
	if err != nil {
		return fail(submit.status, 0, fmt.Sprintf("submit: the job id %q makes an invalid poll URL", id.str()))
	}
	pollURL.url = u
	pollTags := metrics.TagsAndMeta{Tags: tags.Tags.With("name", "jobs-poll"), Metadata: tags.Metadata}
	maxPolls := int(math.Ceil(j.timeoutMs/eventstream.DurationMs(j.pollInterval))) + 1
	for i := 0; i < maxPolls; i++ {
		if !c.sleep(j.pollInterval) {
			return false
		}
		poll, ok := c.do(state, &pollURL, nil, pollTags)
		if !ok {
			return false
		}
		view, parsed := parseJSON(poll.body)
		if poll.status != 200 || !parsed || !view.isObject() {
			return fail(poll.status, poll.errorCode, "poll: "+failureText(poll.status, poll.errText, poll.body))
		}
		statusValue, _ := view.field("status")
		status := statusValue.str()
		if status != "succeeded" && status != "failed" && status != "cancelled" {
			continue
		}
		o.e2e = since()
		result, _ := view.field("result")
		if timings, ok := result.field("timings"); ok {
			o.server = parseTimingsJSON(timings)
		}
		if status != "succeeded" {
			errValue, _ := view.field("error")
			o.status, o.errorClass = 500, "5xx"
			o.errText = fmt.Sprintf("job %s: %s", status, compactPrefix(errValue, 160))
			return true
		}
		o.ok, o.status = true, 200
		if req.class == classImage {
			data, _ := result.field("data")
			o.images, o.steps = opt{float64(data.length()), true}, opt{req.steps, true}
			return true
		}
		usage, _ := result.field("usage")
		tokens, _ := usage.field("completion_tokens")
		o.outTokens = opt{0, true}
		if tokens.isNumber() {
			o.outTokens = opt{tokens.number(), true}
		}
		return true
	}
	fail(0, eventstream.CodeRequestTimeout, fmt.Sprintf("job %s not finished after %v ms", id.str(), j.timeoutMs))
	o.errorClass = "timeout"
	return true
}

// sleep waits d, or returns false as soon as the test stops.
func (c *genloadClient) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-c.gi.vu.Context().Done():
		return false
	}
}

// compactPrefix is JSON.stringify(v).slice(0, n) of a parsed value ("undefined" when absent).
func compactPrefix(v jsonValue, n int) string {
	if len(v) == 0 {
		return "undefined"
	}
	var b bytes.Buffer
	_ = json.Compact(&b, v)
	return prefixRunes(b.Bytes(), n)
}
