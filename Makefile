# genload: load testing for generative-AI inference services.
# The two commands a fresh clone needs:  make load SCENARIO=ramp   and   make test
# Every target sets up what it needs (npm packages, the k6 build, models) on first use.

SHELL := /bin/bash
.DEFAULT_GOAL := help
NODE_TS := node --import tsx
GENLOAD := $(NODE_TS) lib/cli/main.ts
# onnxruntime-node's install script would fetch CUDA files from an unreachable feed
export ONNXRUNTIME_NODE_INSTALL := skip

# Make variables -> the CLI, never through a shell. A variable given on the make
# command line reaches the CLI byte for byte as GENLOAD_FLAG_<VAR> in its
# environment: $(value ...) keeps Make from expanding $(shell ...) or $$ inside
# it, and nothing is pasted into a recipe, so quotes, $, backquotes and spaces stay
# data. The CLI reads GENLOAD_FLAG_<VAR> as the flag --<var> (lib/cli/config/make-vars.ts):
# it wins over GENLOAD_<VAR> in the environment. Only variables set on the command
# line are forwarded: an environment variable of the same name (PORT, NAME, TARGET,
# MODEL, IMAGE, NAMESPACE are common in CI and shells) is not a knob; from the
# environment genload reads GENLOAD_<VAR> only. Each list names a target's
# variables; the first three are the configuration table's groups in its order
# (lib/cli/config/knobs.ts; lib/cli/config/help.test.ts fails when they differ).
LOAD_VARS := SCENARIO TARGET API MODEL READY_PATH METRICS_URL SERVER_DIALECT SLO RATE MAX_RATE DURATION WARMUP VUS MAX_VUS CONCURRENCY \
  LOAD_MODEL ARRIVAL SEED ENGINE PROMPTS MAX_TOKENS STEPS SIZE STREAM ITL_SAMPLES IGNORE_EOS INPUT_TOKENS \
  OUTPUT_TOKENS TOKEN_PAIRS TOKENIZER DATASET TRACE TRACE_SPEED PREFIXES PREFIX_TOKENS PREFIX_SHARE TURNS \
  WORKLOAD_FILE WORKLOAD INSTANCES PROMETHEUS_RW RESULTS NAME ALLOW_REMOTE
CAPACITY_VARS := MIN_RATE TOLERANCE MAX_STEPS TIME_BUDGET CONFIRM PROBE_CONCURRENCY PEAK_RPS HEADROOM PRICE_PER_HOUR \
  GPUS_PER_REPLICA CURRENCY
OPERATOR_VARS := PARALLELISM IMAGE NAMESPACE
REPORT_VARS := RUN RESULTS
COMPARE_VARS := BASE CAND RESULTS
GATE_VARS := BASELINE CAND RESULTS
SERVER_VARS := ENGINE PORT
# $(call given,<variable>): non-empty when the variable was set, to a non-empty value, on the make command line
given = $(if $(filter command line,$(origin $(1))),$(value $(1)))
# $(call pass,<targets>,<variables>): target-specific exports of the variables given on the command line
# (a line starting with `load` is Make's load directive: never name that target first)
pass = $(foreach v,$(2),$(if $(call given,$(v)),$(eval $(1): export GENLOAD_FLAG_$(v) = $$(value $(v)))))
$(call pass,config load capacity package-operator,$(LOAD_VARS))
$(call pass,capacity,$(CAPACITY_VARS))
$(call pass,report,$(REPORT_VARS))
$(call pass,compare,$(COMPARE_VARS))
$(call pass,gate,$(GATE_VARS))
$(call pass,package-operator,$(OPERATOR_VARS))
$(call pass,server,$(SERVER_VARS))
# Make itself would expand these when exporting them under their own names (a
# command-line RATE='$(shell ...)' would run): they travel as GENLOAD_FLAG_* only
unexport $(sort $(LOAD_VARS) $(CAPACITY_VARS) $(REPORT_VARS) $(COMPARE_VARS) $(GATE_VARS) $(OPERATOR_VARS) $(SERVER_VARS))
# the old way pasted '$(VAR)' into recipes, which a shell re-reads: refuse it loudly
flag = $(error flag: pass Make variables with $$(call pass,...) (GENLOAD_FLAG_<VAR>), never into a recipe)

UNIT_TESTS = $(shell find build lib scenarios bench test/targets -name '*.test.ts' 2>/dev/null | sort)
E2E_TESTS = $(shell find test/e2e -name '*.test.ts' 2>/dev/null | sort)
# `make test` builds llama-cpp-python (cold: minutes) in the background, at nice 19, beside
# the tiers that do not need it. e2e files that assert behaviour, not timing, run beside it
# too; those whose assertions depend on timing (rates, latencies, run validity) and the
# llama-cpp tier run after it, with no compiler on the 2 cores (README "make test").
E2E_BESIDE_BUILD = $(addprefix test/e2e/,make-variables.test.ts workflow.test.ts security.test.ts archive.test.ts \
  report.test.ts compare.test.ts prometheus.test.ts interrupt.test.ts)
E2E_AFTER_BUILD = $(filter-out $(E2E_BESIDE_BUILD),$(E2E_TESTS))

.PHONY: fuzz help setup build k6 models load config capacity package-operator prometheus report compare gate server chromium llama-cpp test e2e-beside-build e2e-after-build typecheck format-check format check-boundaries unit e2e test-go bench clean

help: ## list the targets
	@echo "genload: make <target> [VAR=value ...]"
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z0-9-]+):.*## (.*)/  \1\t\2/' | expand -t 20
	@echo ""
	@if [ -x node_modules/.bin/tsx ]; then $(GENLOAD) help make; else \
	  echo "load variables: $(LOAD_VARS)" | fold -s -w 100; echo "capacity also: $(CAPACITY_VARS)"; \
	  echo "package-operator also: $(OPERATOR_VARS)"; fi
	@echo "report / compare / gate: $(REPORT_VARS) / $(COMPARE_VARS) / $(GATE_VARS)"
	@echo "values reach the CLI byte for byte (see make config; details: $(GENLOAD) --help)"

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
	@$(GENLOAD) load

config: ## print the resolved load configuration (every value and its source) as JSON; nothing runs
	@$(GENLOAD) config

capacity: build ## highest sustainable rate inside the SLO + capacity plan: make capacity SCENARIO=diffusion SLO=batch-image PEAK_RPS=50 PRICE_PER_HOUR=2.5
	@$(GENLOAD) capacity

report: build ## render report.html, report.md, junit.xml for RUN=<run folder> (default: the latest run)
	@$(GENLOAD) report

compare: build ## compare two runs: make compare BASE=<run folder> CAND=<run folder>
	@$(GENLOAD) compare

gate: build ## regression gate: make gate BASELINE=<run folder or baseline file> [CAND=<run folder>]
	@$(GENLOAD) gate

package-operator: build ## k6-operator manifests: make package-operator SCENARIO=ramp PARALLELISM=4 [IMAGE=...]
	@$(GENLOAD) package-operator

prometheus: ## install Prometheus (Debian package) when missing, for PROMETHEUS_RW runs and its e2e test
	@deploy/prometheus/install.sh

server: build ## start the local reference server in the foreground (ENGINE=onnx|sim, PORT=8000)
	@$(NODE_TS) lib/server/main.ts $(if $(call given,ENGINE),--engine "$$GENLOAD_FLAG_ENGINE") $(if $(call given,PORT),--port "$$GENLOAD_FLAG_PORT")

test: node_modules/.genload-installed ## every test: types, formatting, boundaries, unit, Go, fuzz, end-to-end (a cold llama-cpp-python build runs beside them)
	@$(NODE_TS) test/targets/llama-cpp/background.ts start
	@$(MAKE) --no-print-directory typecheck format-check check-boundaries unit test-go fuzz e2e-beside-build || { \
	  echo "make test: failed; a llama-cpp-python build still running goes on in the background (the next run reuses it)" >&2; exit 1; }
	@$(NODE_TS) test/targets/llama-cpp/background.ts wait
	@$(MAKE) --no-print-directory e2e-after-build

typecheck: node_modules/.genload-installed ## type-check the k6 side and the Node side separately
	npx tsc -p tsconfig.k6.json
	npx tsc -p tsconfig.node.json

# Prettier (line width 120, .prettierrc.json) on every TypeScript and JavaScript source, gofmt on the Go extension
FORMATTED = $(shell git ls-files '*.ts' '*.js' | grep -v '^build/xk6-genload/')
format-check: node_modules/.genload-installed ## fail on sources the formatters would change (prettier, gofmt)
	@npx prettier --check --log-level warn $(FORMATTED)
	@test -z "$$(gofmt -l build/xk6-genload)" || { echo "gofmt would change:"; gofmt -l build/xk6-genload; exit 1; }

format: node_modules/.genload-installed ## rewrite sources in the house format (prettier, gofmt)
	npx prettier --write --log-level warn $(FORMATTED)
	gofmt -w build/xk6-genload

check-boundaries: node_modules/.genload-installed ## fail on imports that cross the k6 / Node / shared boundaries or the lib/cli levels
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
	cd build/xk6-genload && go test ./...

chromium: ## install Debian's Chromium for the report screenshot test (once; needs root)
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

llama-cpp: node_modules/.genload-installed ## install (first time, a few minutes: pip builds libllama) or reuse the cached llama-cpp-python server and its tiny GGUF model, for the e2e tier
	@$(NODE_TS) test/targets/llama-cpp/main.ts >/dev/null

e2e: build k6 chromium prometheus llama-cpp ## end-to-end: bundled scenarios, real k6, real servers (the reference server, llama-cpp-python)
	$(NODE_TS) --test --test-concurrency=1 $(E2E_TESTS)

# make test's two halves of e2e (E2E_BESIDE_BUILD above)
e2e-beside-build: build k6 chromium prometheus
	$(NODE_TS) --test --test-concurrency=1 $(E2E_BESIDE_BUILD)

e2e-after-build: build k6 chromium prometheus llama-cpp
	$(NODE_TS) --test --test-concurrency=1 $(E2E_AFTER_BUILD)

clean: ## remove build output (not results, not the k6 cache)
	rm -rf .build
