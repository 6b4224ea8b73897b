package genload

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
)

// The workload file (workload.jsonl, see /work/plan/contract.md): line 1 is
// the header, lines 2..count+1 one request each. parseWorkload checks all of
// it and reports every problem at once (the first maxWorkloadProblems, then
// how many more), each with its line number.

const maxWorkloadProblems = 20

var workloadSources = []string{"synthetic", "dataset", "trace", "file"}

type workloadHeader struct {
	Genload   *string        `json:"genload"`
	Version   *float64       `json:"version"`
	API       *string        `json:"api"`
	Source    *string        `json:"source"`
	Tokenizer *string        `json:"tokenizer"`
	Count     *float64       `json:"count"`
	Phases    *[]phaseHeader `json:"phases"`
	Trace     *bool          `json:"trace"`
}

type phaseHeader struct {
	Name  *string  `json:"name"`
	From  *float64 `json:"from"`
	Count *float64 `json:"count"`
}

type workloadLine struct {
	I            *float64 `json:"i"`
	Class        *string  `json:"class"`
	Stream       *bool    `json:"stream"`
	InputTokens  *float64 `json:"inputTokens"`
	OutputTokens *float64 `json:"outputTokens"`
	SizePx       *float64 `json:"sizePx"`
	Steps        *float64 `json:"steps"`
	AtMs         *float64 `json:"atMs"`
	Conversation *float64 `json:"conversation"`
	Turn         *float64 `json:"turn"`
	Prefix       *float64 `json:"prefix"`
	Seed         *float64 `json:"seed"`
	Body         *string  `json:"body"`
}

// problems collects numbered problems; only the first maxWorkloadProblems are kept.
type problems struct {
	list  []string
	total int
}

func (p *problems) add(line int, format string, args ...any) {
	p.total++
	if len(p.list) < maxWorkloadProblems {
		p.list = append(p.list, fmt.Sprintf("line %d: ", line)+fmt.Sprintf(format, args...))
	}
}

func (p *problems) err(path string) error {
	if p.total == 0 {
		return nil
	}
	more := ""
	if p.total > len(p.list) {
		more = fmt.Sprintf("; and %d more", p.total-len(p.list))
	}
	return fmt.Errorf("workload file %s is invalid (%d problem(s)): %s%s", path, p.total, strings.Join(p.list, "; "), more)
}

// decodeStrict decodes one JSON object, rejecting unknown keys and trailing data.
func decodeStrict(line []byte, into any) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("must hold one JSON object, but has more after it")
	}
	return nil
}

func isCount(v float64, least float64) bool {
	return v == math.Trunc(v) && v >= least && v <= 1<<53
}

// parseWorkload reads a workload file's bytes into a store.
func parseWorkload(path string, data []byte) (*workloadStore, error) {
	var p problems
	lines := bytes.Split(data, []byte{'\n'})
	if n := len(lines); n > 1 && len(lines[n-1]) == 0 {
		lines = lines[:n-1] // the last line's own "\n"
	}
	s := &workloadStore{path: path}
	s.headerJSON = string(lines[0])
	count := parseHeader(s, lines[0], &p)
	body := lines[1:]
	if count >= 0 && len(body) != count {
		p.add(1, "count: the header says %d requests, but the file has %d request lines", count, len(body))
	}
	s.requests = make([]workRequest, len(body))
	for i, line := range body {
		parseLine(&s.requests[i], i, line, s.trace, &p)
	}
	if err := p.err(path); err != nil {
		return nil, err
	}
	return s, nil
}

// parseHeader checks line 1 and returns its count (-1 when unusable).
func parseHeader(s *workloadStore, line []byte, p *problems) int {
	var h workloadHeader
	if err := decodeStrict(line, &h); err != nil {
		p.add(1, "the header must be a JSON object {genload, version, api, source, count, phases, ...}, but %v", err)
		return -1
	}
	if h.Genload == nil || *h.Genload != "workload" {
		p.add(1, "genload: must be 'workload', but is %s", show(h.Genload))
	}
	if h.Version == nil || *h.Version != 1 {
		p.add(1, "version: must be 1, but is %s", show(h.Version))
	}
	if h.API == nil || *h.API == "" {
		p.add(1, "api: must name the target API, but is %s", show(h.API))
	} else {
		s.api = *h.API
	}
	if h.Source == nil || !contains(workloadSources, *h.Source) {
		p.add(1, "source: must be one of %s, but is %s", strings.Join(workloadSources, ", "), show(h.Source))
	}
	s.trace = h.Trace != nil && *h.Trace
	count := -1
	if h.Count == nil || !isCount(*h.Count, 1) {
		p.add(1, "count: must be an integer ≥ 1, but is %s", show(h.Count))
	} else {
		count = int(*h.Count)
	}
	if h.Phases == nil {
		p.add(1, "phases: must list the phases' blocks of requests, but is missing")
		return count
	}
	seen := map[string]bool{}
	for k, ph := range *h.Phases {
		switch {
		case ph.Name == nil || *ph.Name == "":
			p.add(1, "phases[%d].name: must be a phase name, but is %s", k, show(ph.Name))
		case seen[*ph.Name]:
			p.add(1, "phases[%d].name: must be unique, but '%s' is listed twice", k, *ph.Name)
		default:
			seen[*ph.Name] = true
		}
		if ph.From == nil || !isCount(*ph.From, 0) {
			p.add(1, "phases[%d].from: must be an integer ≥ 0, but is %s", k, show(ph.From))
		}
		if ph.Count == nil || !isCount(*ph.Count, 1) {
			p.add(1, "phases[%d].count: must be an integer ≥ 1, but is %s", k, show(ph.Count))
		}
		if ph.From != nil && ph.Count != nil && count >= 0 && *ph.From+*ph.Count > float64(count) {
			p.add(1, "phases[%d]: from + count must be at most the request count %d, but is %v", k, count, *ph.From+*ph.Count)
		}
	}
	return count
}

// parseLine checks request line i (file line i+2) and fills r.
func parseLine(r *workRequest, i int, line []byte, trace bool, p *problems) {
	n := i + 2
	var l workloadLine
	if len(bytes.TrimSpace(line)) == 0 {
		p.add(n, "must be a JSON request object, but is empty")
		return
	}
	if err := decodeStrict(line, &l); err != nil {
		p.add(n, "must be a JSON request object {i, class, body, ...}, but %v", err)
		return
	}
	if l.I == nil || *l.I != float64(i) {
		p.add(n, "i: must be %d (the line number − 2), but is %s", i, show(l.I))
	}
	if l.Body == nil {
		p.add(n, "body: must be the request body string, but is missing")
	} else {
		r.body = []byte(*l.Body)
	}
	count := func(key string, v *float64, least float64, required bool) opt {
		if v == nil {
			if required {
				p.add(n, "%s: must be an integer ≥ %v, but is missing", key, least)
			}
			return opt{}
		}
		if !isCount(*v, least) {
			p.add(n, "%s: must be an integer ≥ %v, but is %v", key, least, *v)
		}
		return opt{*v, true}
	}
	only := func(key string, set bool, cls string) {
		if set {
			p.add(n, "%s: only %s requests have it", key, cls)
		}
	}
	switch {
	case l.Class != nil && *l.Class == "llm":
		r.class = classLLM
		if l.Stream == nil {
			p.add(n, "stream: must be true or false for an llm request, but is missing")
		} else {
			r.stream = *l.Stream
		}
		r.inputTokens = count("inputTokens", l.InputTokens, 0, false)
		r.outputTokens = count("outputTokens", l.OutputTokens, 1, false)
		only("sizePx", l.SizePx != nil, "image")
		only("steps", l.Steps != nil, "image")
	case l.Class != nil && *l.Class == "image":
		r.class = classImage
		r.steps = count("steps", l.Steps, 1, true).v
		count("sizePx", l.SizePx, 1, true)
		only("stream", l.Stream != nil, "llm")
		only("inputTokens", l.InputTokens != nil, "llm")
		only("outputTokens", l.OutputTokens != nil, "llm")
	default:
		p.add(n, "class: must be one of llm, image, but is %s", show(l.Class))
	}
	for _, f := range [...]struct {
		key string
		v   *float64
	}{{"conversation", l.Conversation}, {"turn", l.Turn}, {"prefix", l.Prefix}} {
		count(f.key, f.v, 0, false)
	}
	if l.Seed != nil && (math.IsNaN(*l.Seed) || math.IsInf(*l.Seed, 0)) {
		p.add(n, "seed: must be a finite number, but is %v", *l.Seed)
	}
	switch {
	case l.AtMs == nil && trace:
		p.add(n, "atMs: must be set in a trace workload (the header says trace: true), but is missing")
	case l.AtMs != nil && !(*l.AtMs >= 0 && !math.IsInf(*l.AtMs, 0)):
		p.add(n, "atMs: must be a number ≥ 0, but is %v", *l.AtMs)
	case l.AtMs != nil:
		r.atMs = opt{*l.AtMs, true}
	}
}

// show prints an optional header or line value for a message.
func show[T any](v *T) string {
	if v == nil {
		return "missing"
	}
	if s, ok := any(*v).(string); ok {
		return fmt.Sprintf("'%s'", s)
	}
	return fmt.Sprint(*v)
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}
