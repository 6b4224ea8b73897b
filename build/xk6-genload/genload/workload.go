package genload

import (
	"fmt"
	"strings"
	"sync"

	"github.com/grafana/sobek"

	"go.k6.io/k6/js/common"
	"go.k6.io/k6/lib/fsext"
)

// workloadStore is one parsed workload file: immutable once parsed, shared
// by every VU of the process (one copy of the bodies per process).
type workloadStore struct {
	path       string
	headerJSON string // line 1, parsed into a plain object per VU
	api        string
	trace      bool
	requests   []workRequest
}

// workRequest is one request line; the body is the exact HTTP body.
type workRequest struct {
	class                     int // classLLM or classImage
	stream                    bool
	inputTokens, outputTokens opt // requested (the line's inputTokens, outputTokens)
	steps                     float64
	atMs                      opt
	body                      []byte
}

const classLLM, classImage = 0, 1

var classNames = [...]string{"llm", "image"}

// storeEntry is one path's parse, done once per process.
type storeEntry struct {
	once  sync.Once
	store *workloadStore
	err   error
	reads int // how many times the file was read (tests check it is 1)
}

// stores maps an absolute path to its storeEntry: the k6 process parses a
// workload file once, whatever the number of VUs.
var stores sync.Map

// loadStore reads and parses a workload file through k6's init-environment
// file system (so `k6 archive` includes it), once per process per path.
func loadStore(fs fsext.Fs, abs string) (*workloadStore, *storeEntry) {
	v, _ := stores.LoadOrStore(abs, &storeEntry{})
	e := v.(*storeEntry)
	e.once.Do(func() {
		e.reads++
		data, err := readFileOnce(fs, abs)
		if err != nil {
			e.err = fmt.Errorf("genload.workload: reading %s failed; reason: %w", abs, err)
			return
		}
		e.store, e.err = parseWorkload(abs, data)
	})
	return e.store, e
}

func readFileOnce(fs fsext.Fs, abs string) ([]byte, error) {
	if isDir, err := fsext.IsDir(fs, abs); err != nil {
		return nil, err
	} else if isDir {
		return nil, fmt.Errorf("%s is a directory", abs)
	}
	return fsext.ReadFile(fs, abs)
}

// workloadFactory implements genload.workload(path) (init context only):
// {count, header, atMs(i), classOf(i)}. A relative path is resolved against
// the script's folder, as k6's experimental fs module does.
func (gi *ModuleInstance) workloadFactory(call sobek.FunctionCall) sobek.Value {
	rt := gi.vu.Runtime()
	env := gi.vu.InitEnv()
	if gi.vu.State() != nil || env == nil {
		common.Throw(rt, fmt.Errorf("genload.workload must be called in the init context"))
	}
	path := strings.TrimPrefix(call.Argument(0).String(), "file://")
	if common.IsNullish(call.Argument(0)) || path == "" {
		common.Throw(rt, fmt.Errorf("genload.workload: the path must name a workload file, but is missing"))
	}
	fs, ok := env.FileSystems["file"]
	if !ok {
		common.Throw(rt, fmt.Errorf("genload.workload: reading %s failed; reason: k6 gave no file system", path))
	}
	abs := fsext.Abs(env.CWD.Path, path)
	if obj, ok := gi.workloadObjects[abs]; ok {
		return obj
	}
	s, e := loadStore(fs, abs)
	if e.err != nil {
		common.Throw(rt, e.err)
	}
	obj := gi.workloadToJS(rt, s)
	gi.workloadObjects[abs] = obj
	gi.storeOf[obj] = s
	return obj
}

func (gi *ModuleInstance) workloadToJS(rt *sobek.Runtime, s *workloadStore) *sobek.Object {
	parse, _ := sobek.AssertFunction(rt.Get("JSON").ToObject(rt).Get("parse"))
	header, err := parse(sobek.Undefined(), rt.ToValue(s.headerJSON))
	if err != nil {
		common.Throw(rt, err)
	}
	index := func(call sobek.FunctionCall, name string) int {
		v := call.Argument(0)
		f := v.ToFloat()
		if f != float64(int(f)) || f < 0 || int(f) >= len(s.requests) {
			common.Throw(rt, fmt.Errorf("workload.%s: the index must be an integer in [0, %d), but is %s", name, len(s.requests), v.String()))
		}
		return int(f)
	}
	obj := methods(rt, map[string]func(sobek.FunctionCall) sobek.Value{
		"atMs": func(call sobek.FunctionCall) sobek.Value {
			if at := s.requests[index(call, "atMs")].atMs; at.set {
				return rt.ToValue(at.v)
			}
			return sobek.Undefined()
		},
		"classOf": func(call sobek.FunctionCall) sobek.Value {
			return gi.classValues[s.requests[index(call, "classOf")].class]
		},
	})
	_ = obj.Set("count", len(s.requests))
	_ = obj.Set("header", header)
	return obj
}
