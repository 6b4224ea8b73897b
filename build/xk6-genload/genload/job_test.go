package genload

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// jobServer accepts POST /v1/jobs with submitStatus and answers each poll
// with the next of views (the last one repeats).
func jobServer(t *testing.T, submitStatus int, submitBody string, views ...string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var polls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/v1/jobs":
			body, _ := io.ReadAll(r.Body)
			if string(body) != `{"kind":"completion"}` {
				http.Error(w, "unexpected body "+string(body), http.StatusBadRequest)
				return
			}
			w.WriteHeader(submitStatus)
			_, _ = io.WriteString(w, submitBody)
		case r.Method == http.MethodGet && r.URL.Path == "/v1/jobs/j-1":
			n := int(polls.Add(1)) - 1
			_, _ = io.WriteString(w, views[min(n, len(views)-1)])
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &polls
}

const jobLine = `{"i":0,"class":"llm","stream":false,"outputTokens":5,"body":"{\"kind\":\"completion\"}"}`

func jobVU(t *testing.T, url string, line string, timeoutMs int) testVU {
	t.Helper()
	path := fmt.Sprintf("/runs/%s/workload.jsonl", strings.ReplaceAll(t.Name(), "/", "_"))
	tr, rt := initVU(t, map[string]string{path: workloadFile("reference", line)})
	_, err := rt.RunString(fmt.Sprintf(`var client = genload.client({workload: genload.workload(%q), routes: {},
		job: {submitUrl: %q, pollUrl: %q, pollIntervalMs: 10, headers: {'content-type': 'application/json'}, timeoutMs: %d},
		metrics: names});`, path, url+"/v1/jobs", url+"/v1/jobs/", timeoutMs))
	require.NoError(t, err)
	return toRunPhase(tr)
}

func TestClientJobPollsUntilTheJobIsFinal(t *testing.T) {
	t.Parallel()
	srv, polls := jobServer(t, 202, `{"id":"j-1"}`, `{"status":"queued"}`, `{"status":"running"}`,
		`{"status":"succeeded","result":{"usage":{"completion_tokens":5},"timings":{"queue_ms":4,"total_ms":9}}}`)
	vu := jobVU(t, srv.URL, jobLine, 5000)
	require.Nil(t, vu.send(t, 0))
	require.EqualValues(t, 3, polls.Load())
	got, builtin := vu.genloadSamples()
	require.Contains(t, got, "genload_output_tokens=5")
	require.Contains(t, got, "genload_output_short=0")
	require.Contains(t, got, "genload_server_queue_ms=4")
	require.Greater(t, valueOf(t, got, "genload_e2e_ms"), 30.0, "three poll intervals")
	names := map[string]int{}
	for _, s := range builtin["http_req_duration"] {
		names[s.Tags.Map()["name"]]++
		require.Equal(t, "measure", s.Tags.Map()["stage"])
	}
	require.Equal(t, map[string]int{"jobs-submit": 1, "jobs-poll": 3}, names)
}

func TestClientJobFailures(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name         string
		submitStatus int
		submitBody   string
		views        []string
		timeoutMs    int
		want         map[string]any
		polls        int32
	}{
		{"a failed job is a 5xx", 202, `{"id":"j-1"}`, []string{`{"status":"failed","error":{"message":"oom"}}`}, 5000,
			map[string]any{"class": "llm", "errorClass": "5xx", "error": `job failed: {"message":"oom"}`}, 1},
		{"a refused submission", 429, `busy`, nil, 5000,
			map[string]any{"class": "llm", "errorClass": "shed", "error": "submit: status 429: busy"}, 0},
		{"a submission without id", 202, `{"id":7}`, nil, 5000,
			map[string]any{"class": "llm", "errorClass": "protocol", "error": `submit: status 202: {"id":7}`}, 0},
		{"a job never finished: timeout / interval + 1 polls", 202, `{"id":"j-1"}`, []string{`{"status":"running"}`}, 45,
			map[string]any{"class": "llm", "errorClass": "timeout", "error": "job j-1 not finished after 45 ms"}, 6},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv, polls := jobServer(t, c.submitStatus, c.submitBody, c.views...)
			vu := jobVU(t, srv.URL, jobLine, c.timeoutMs)
			require.Equal(t, c.want, vu.send(t, 0))
			require.Equal(t, c.polls, polls.Load())
		})
	}
}

func TestClientJobStopsWaitingWhenTheTestStops(t *testing.T) {
	t.Parallel()
	srv, _ := jobServer(t, 202, `{"id":"j-1"}`, `{"status":"running"}`)
	path := "/runs/job-stop/workload.jsonl"
	tr, rt := initVU(t, map[string]string{path: workloadFile("reference", jobLine)})
	_, err := rt.RunString(fmt.Sprintf(`var client = genload.client({workload: genload.workload(%q),
		job: {submitUrl: %q, pollUrl: %q, pollIntervalMs: 60000, timeoutMs: 600000}, metrics: names});`, path, srv.URL+"/v1/jobs", srv.URL+"/v1/jobs/"))
	require.NoError(t, err)
	vu := toRunPhase(tr)
	time.AfterFunc(100*time.Millisecond, vu.cancel)
	start := time.Now()
	require.Nil(t, vu.send(t, 0))
	require.Less(t, time.Since(start), 5*time.Second)
	got, _ := vu.genloadSamples()
	require.Empty(t, got, "a request the test stopped is not recorded")
}
