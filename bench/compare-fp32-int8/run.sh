#!/usr/bin/env bash
# The source texts' worked example at full size: FP32 vs INT8 on the reference
# server's onnx engine, 10 prompts × (5 warm-up + 20 measured) sequential
# requests each, for the image pair and the LLM pair, then `genload compare`.
# Usage: bench/compare-fp32-int8/run.sh [results-dir]   (PLAN=... overrides the plan)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
results="${1:-$root/results}"
plan="${PLAN:-planPrompts=10,planWarmup=5,planMeasured=20}"
run() { # model name workload
  "$root/bin/genload" load --scenario compare-plan --engine onnx --model "$1" --name "$2" --results "$results" --workload "$plan,$3" >&2
  ls -d "$results"/*-"$2" | tail -1
}
sd_fp32=$(run tiny-sd-fp32 sd-fp32 trafficClass=image)
sd_int8=$(run tiny-sd-int8 sd-int8 trafficClass=image)
llm_fp32=$(run tiny-llm-fp32 llm-fp32 trafficClass=llm)
llm_int8=$(run tiny-llm-int8 llm-int8 trafficClass=llm)
"$root/bin/genload" compare --base "$sd_fp32" --cand "$sd_int8" --results "$results"
"$root/bin/genload" compare --base "$llm_fp32" --cand "$llm_int8" --results "$results"
