package sse

import (
	"github.com/grafana/sobek"

	"go.k6.io/k6/js/common"
	"go.k6.io/k6/js/modules"
	"go.k6.io/k6/metrics"
)

// GenloadImportPath is the second JS module of this extension: genload's
// per-request hot path (one JSON request, one batch of metric samples) done
// in Go, so a request costs a few calls into Go instead of many interpreted
// JavaScript steps. See README.md.
const GenloadImportPath = "k6/x/genload"

func init() {
	modules.Register(GenloadImportPath, new(GenloadRoot))
}

// GenloadRoot is shared by all VUs; it creates one GenloadInstance per VU.
type GenloadRoot struct{}

// GenloadInstance is the per-VU state of `k6/x/genload`.
type GenloadInstance struct {
	vu       modules.VU
	registry *metrics.Registry
	// metricsByName caches registry lookups: the set of metric names a script
	// records is fixed by its init context, so this stays small.
	metricsByName map[string]*metrics.Metric
	exports       *sobek.Object
}

var (
	_ modules.Module   = &GenloadRoot{}
	_ modules.Instance = &GenloadInstance{}
)

// NewModuleInstance runs in the init context of each VU, where the metric
// registry is reachable; `record` looks metrics up in it by name later.
func (*GenloadRoot) NewModuleInstance(vu modules.VU) modules.Instance {
	rt := vu.Runtime()
	env := vu.InitEnv()
	if env == nil {
		common.Throw(rt, common.NewInitContextError("k6/x/genload must be imported in the init context"))
	}
	gi := &GenloadInstance{vu: vu, registry: env.Registry, metricsByName: map[string]*metrics.Metric{}}
	gi.exports = rt.NewObject()
	for name, fn := range gi.functions() {
		if err := gi.exports.Set(name, fn); err != nil {
			common.Throw(rt, err)
		}
	}
	return gi
}

// functions use sobek's FunctionCall form: no reflection on the call path.
func (gi *GenloadInstance) functions() map[string]func(sobek.FunctionCall) sobek.Value {
	return map[string]func(sobek.FunctionCall) sobek.Value{
		"request":         gi.request,
		"record":          gi.record,
		"outcomeRecorder": gi.outcomeRecorderFactory,
		"runner":          gi.runnerFactory,
	}
}

// Exports makes the functions reachable as `import genload from 'k6/x/genload'`
// and as named imports.
func (gi *GenloadInstance) Exports() modules.Exports {
	named := map[string]any{}
	for name, fn := range gi.functions() {
		named[name] = fn
	}
	return modules.Exports{Default: gi.exports, Named: named}
}
