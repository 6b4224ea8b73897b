// ramp: chained constant-arrival-rate steps (step-01...) from RATE to MAX_RATE
// (workload.rampSteps of them), each judged by the SLO; the first breach stops
// the test (abortOnFail after abort.delaySeconds). The summary reports the
// highest rate whose step passed.
import { defineScenario } from '../lib/k6/run/define.ts';

const s = defineScenario('ramp');
export const options = s.options;
export default s.iteration;
export const handleSummary = s.handleSummary;
