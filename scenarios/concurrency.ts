// concurrency: closed-model steps (step-01...) of N concurrent requests, N from
// CONCURRENCY (e.g. 1,2,4,8,16) or 1, 2, 4, ... up to MAX_VUS, each judged by the
// SLO at its end; the first breach stops the test. The summary reports per step
// the concurrency, achieved requests/s and tokens/s or images/s, and the highest
// concurrency whose step passed, with its throughput. For servers whose limit is
// slots rather than arrivals (vLLM --max-concurrency, GuideLLM concurrent).
import { defineScenario } from '../lib/k6/run/define.ts';

const s = defineScenario('concurrency');
export const options = s.options;
export default s.iteration;
export const handleSummary = s.handleSummary;
