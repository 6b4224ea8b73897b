// Package genload is a k6 extension (JS module `k6/x/genload`): genload's
// per-request hot path in Go. The workload file is read once per process
// (workload.go), and client.send sends one request of it, reads the answer
// (streamed or not) and records all its samples, so JavaScript calls Go once
// per request and never per SSE event. Streams are read with the same parser
// and limits as k6/x/sse (internal/eventstream). See ../README.md.
package genload

import (
	"fmt"

	"github.com/grafana/sobek"

	"go.k6.io/k6/js/common"
	"go.k6.io/k6/js/modules"
	"go.k6.io/k6/lib"
	"go.k6.io/k6/metrics"
)

// ImportPath is the name scripts import.
const ImportPath = "k6/x/genload"

func init() {
	modules.Register(ImportPath, new(RootModule))
}

// RootModule is shared by all VUs; it creates one ModuleInstance per VU.
type RootModule struct{}

// ModuleInstance is the per-VU state of `k6/x/genload`.
type ModuleInstance struct {
	vu       modules.VU
	registry *metrics.Registry
	// metricsByName caches registry lookups: the set of metric names a script
	// records is fixed by its init context, so this stays small.
	metricsByName map[string]*metrics.Metric
	exports       *sobek.Object
	// workloadObjects: this VU's workload object per absolute path; storeOf
	// finds the store behind one (genload.client's spec.workload)
	workloadObjects map[string]*sobek.Object
	storeOf         map[*sobek.Object]*workloadStore
	classValues     [2]sobek.Value // "llm", "image" as JS strings, made once per VU
}

var (
	_ modules.Module   = &RootModule{}
	_ modules.Instance = &ModuleInstance{}
)

// NewModuleInstance runs in the init context of each VU, where the metric
// registry is reachable; `record` looks metrics up in it by name later.
func (*RootModule) NewModuleInstance(vu modules.VU) modules.Instance {
	rt := vu.Runtime()
	env := vu.InitEnv()
	if env == nil {
		common.Throw(rt, common.NewInitContextError("k6/x/genload must be imported in the init context"))
	}
	gi := &ModuleInstance{vu: vu, registry: env.Registry, metricsByName: map[string]*metrics.Metric{},
		workloadObjects: map[string]*sobek.Object{}, storeOf: map[*sobek.Object]*workloadStore{}}
	gi.classValues = [2]sobek.Value{rt.ToValue(classNames[classLLM]), rt.ToValue(classNames[classImage])}
	gi.exports = methods(rt, gi.functions())
	return gi
}

// methods is a plain object holding Go functions (the module's exports, a
// workload, a client).
func methods(rt *sobek.Runtime, fns map[string]func(sobek.FunctionCall) sobek.Value) *sobek.Object {
	o := rt.NewObject()
	for name, fn := range fns {
		if err := o.Set(name, fn); err != nil {
			common.Throw(rt, err)
		}
	}
	return o
}

// runState is the VU's state for a function that works only while the test
// runs; in the init context it throws "<name> cannot be called in the init context".
func (gi *ModuleInstance) runState(name string) (*sobek.Runtime, *lib.State) {
	rt := gi.vu.Runtime()
	state := gi.vu.State()
	if state == nil {
		common.Throw(rt, common.NewInitContextError(name+" cannot be called in the init context"))
	}
	return rt, state
}

// initArgument is the first argument of a function that works only in the
// init context (it looks metrics up in the registry) and takes one object
// of the given shape; anything else throws, naming the function.
func (gi *ModuleInstance) initArgument(call sobek.FunctionCall, name, shape string) (*sobek.Runtime, *sobek.Object) {
	rt := gi.vu.Runtime()
	if gi.vu.State() != nil {
		common.Throw(rt, fmt.Errorf("%s must be called in the init context", name))
	}
	return rt, objectArgument(rt, call, name, shape)
}

// objectArgument is the first argument as an object; a missing one throws
// "<name>: the argument must be <shape>, but is missing".
func objectArgument(rt *sobek.Runtime, call sobek.FunctionCall, name, shape string) *sobek.Object {
	arg := call.Argument(0)
	if common.IsNullish(arg) {
		common.Throw(rt, fmt.Errorf("%s: the argument must be %s, but is missing", name, shape))
	}
	return arg.ToObject(rt)
}

// functions use sobek's FunctionCall form: no reflection on the call path.
func (gi *ModuleInstance) functions() map[string]func(sobek.FunctionCall) sobek.Value {
	return map[string]func(sobek.FunctionCall) sobek.Value{
		"workload": gi.workloadFactory,
		"client":   gi.clientFactory,
		"record":   gi.record,
	}
}

// Exports makes the functions reachable as `import genload from 'k6/x/genload'`
// and as named imports.
func (gi *ModuleInstance) Exports() modules.Exports {
	named := map[string]any{}
	for name, fn := range gi.functions() {
		named[name] = fn
	}
	return modules.Exports{Default: gi.exports, Named: named}
}
