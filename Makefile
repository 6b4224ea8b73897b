# genload: load testing for generative-AI inference services.
# The two commands a fresh clone needs:  make load SCENARIO=ramp   and   make test
# Every target sets up what it needs (npm packages, the k6 build, models) on first use.

SHELL := /bin/bash
.DEFAULT_GOAL := help
NODE_TS := node --import tsx
GENLOAD := $(NODE_TS) lib/cli/main.ts
# onnxruntime-node's install script would fetch CUDA files from an unreachable feed
export ONNXRUNTIME_NODE_INSTALL := skip

# Make variable -> CLI flag (see `make help` or `genload --help` for every knob)
flag = $(if $($(2)),--$(1)='$($(2))')
LOAD_FLAGS = $(call flag,scenario,SCENARIO) $(call flag,target,TARGET) $(call flag,api,API) \
  $(call flag,model,MODEL) $(call flag,ready-path,READY_PATH) $(call flag,slo,SLO) \
  $(call flag,rate,RATE) $(call flag,max-rate,MAX_RATE) $(call flag,duration,DURATION) \
  $(call flag,warmup,WARMUP) $(call flag,vus,VUS) $(call flag,max-vus,MAX_VUS) \
  $(call flag,arrival,ARRIVAL) $(call flag,seed,SEED) $(call flag,engine,ENGINE) \
  $(call flag,prompts,PROMPTS) $(call flag,max-tokens,MAX_TOKENS) $(call flag,steps,STEPS) \
  $(call flag,size,SIZE) $(call flag,stream,STREAM) $(call flag,results,RESULTS) \
  $(call flag,name,NAME) $(call flag,allow-remote,ALLOW_REMOTE) $(call flag,workload,WORKLOAD) \
  $(call flag,instances,INSTANCES) $(call flag,prometheus-rw,PROMETHEUS_RW)

UNIT_TESTS = $(shell find build lib scenarios bench -name '*.test.ts' 2>/dev/null | sort)
E2E_TESTS = $(shell find test/e2e -name '*.test.ts' 2>/dev/null | sort)

.PHONY: fuzz help setup build k6 models load capacity package-operator prometheus report compare gate server chromium test typecheck check-boundaries unit e2e test-go bench clean

help: ## list the targets
	@echo "genload: make <target> [VAR=value ...]"
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z0-9-]+):.*## (.*)/  \1\t\2/' | expand -t 20
	@echo ""
	@echo "load variables: SCENARIO TARGET API MODEL SLO RATE MAX_RATE DURATION WARMUP VUS MAX_VUS"
	@echo "                ARRIVAL SEED ENGINE PROMPTS MAX_TOKENS STEPS SIZE STREAM NAME RESULTS"
	@echo "                (details: $(GENLOAD) --help)"

node_modules/.genload-installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

setup: node_modules/.genload-installed k6 ## install npm packages (lock file) and build or reuse the pinned k6

build: node_modules/.genload-installed ## bundle scenarios (k6) and worker entries (Node) with esbuild
	@$(NODE_TS) build/bundle.ts >/dev/null

k6: node_modules/.genload-installed ## build (first time) or reuse the cached k6 with the SSE extension; prints its path
	@$(NODE_TS) build/provision-k6.ts

models: build ## build (first time) or reuse the cached ONNX models of the reference server
	@$(NODE_TS) build/models.ts

load: build ## run SCENARIO against TARGET (no TARGET: the local reference server); e.g. make load SCENARIO=ramp
	@$(GENLOAD) load $(LOAD_FLAGS)

CAPACITY_FLAGS = $(call flag,min-rate,MIN_RATE) $(call flag,tolerance,TOLERANCE) $(call flag,max-steps,MAX_STEPS) \
  $(call flag,time-budget,TIME_BUDGET) $(call flag,confirm,CONFIRM) $(call flag,peak-rps,PEAK_RPS) \
  $(call flag,headroom,HEADROOM) $(call flag,price-per-hour,PRICE_PER_HOUR) \
  $(call flag,gpus-per-replica,GPUS_PER_REPLICA) $(call flag,currency,CURRENCY)

capacity: build ## highest sustainable rate inside the SLO + capacity plan: make capacity SCENARIO=diffusion SLO=batch-image PEAK_RPS=50 PRICE_PER_HOUR=2.5
	@$(GENLOAD) capacity $(LOAD_FLAGS) $(CAPACITY_FLAGS)

report: build ## render report.html, report.md, junit.xml for RUN=<run folder> (default: the latest run)
	@$(GENLOAD) report $(call flag,run,RUN) $(call flag,results,RESULTS)

compare: build ## compare two runs: make compare BASE=<run folder> CAND=<run folder>
	@$(GENLOAD) compare $(call flag,base,BASE) $(call flag,cand,CAND)

gate: build ## regression gate: make gate BASELINE=<run folder or baseline file> [CAND=<run folder>]
	@$(GENLOAD) gate $(call flag,baseline,BASELINE) $(call flag,cand,CAND)

package-operator: build ## k6-operator manifests: make package-operator SCENARIO=ramp PARALLELISM=4 [IMAGE=...]
	@$(GENLOAD) package-operator $(LOAD_FLAGS) $(call flag,parallelism,PARALLELISM) $(call flag,image,IMAGE) $(call flag,namespace,NAMESPACE)

prometheus: ## install Prometheus (Debian package) when missing, for PROMETHEUS_RW runs and its e2e test
	@deploy/prometheus/install.sh

server: build ## start the local reference server in the foreground (ENGINE=onnx|sim, PORT=8000)
	@$(NODE_TS) lib/server/main.ts $(if $(ENGINE),--engine $(ENGINE)) $(if $(PORT),--port $(PORT))

test: typecheck check-boundaries unit test-go fuzz e2e ## every test: types, boundaries, unit, Go, fuzz, end-to-end

typecheck: node_modules/.genload-installed ## type-check the k6 side and the Node side separately
	npx tsc -p tsconfig.k6.json
	npx tsc -p tsconfig.node.json

check-boundaries: node_modules/.genload-installed ## fail on imports that cross the k6 / Node / shared boundaries
	@$(NODE_TS) build/check-boundaries.ts

unit: build ## unit tests beside the code (node:test)
	$(NODE_TS) --test --test-concurrency=2 $(UNIT_TESTS)

fuzz: build ## property-based tests (fast-check): every server route, config, SLO and workload input
	$(NODE_TS) --test --test-concurrency=1 $(shell find test/fuzz -name '*.test.ts' | sort)

bench: build k6 ## benchmarks with figures (server ~5 min; each writes JSON next to its script)
	$(NODE_TS) bench/server-http/http-vs-direct.ts
	$(NODE_TS) bench/server-ort/batching.ts
	$(NODE_TS) bench/server-ort/precision.ts
	$(NODE_TS) bench/server-ort/presets.ts
	$(NODE_TS) bench/k6-overhead/run.ts --rounds 3 --seconds 8
	$(NODE_TS) bench/capacity/accuracy.ts
	$(NODE_TS) bench/overload/run.ts

test-go: ## Go tests of the SSE extension
	cd build/xk6-sse && go test ./...

chromium: ## install Debian's Chromium for the report screenshot test (once; needs root)
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

e2e: build k6 chromium prometheus ## end-to-end: bundled scenarios, real k6, real servers
	$(NODE_TS) --test --test-concurrency=1 $(E2E_TESTS)

clean: ## remove build output (not results, not the k6 cache)
	rm -rf .build
