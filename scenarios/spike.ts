// spike: baseline at RATE, a sudden spike at MAX_RATE, then recovery at RATE
// (a third of DURATION each). Baseline and recovery are judged; the spike is reported.
import { defineScenario } from '../lib/k6/run/define.ts';

const s = defineScenario('spike');
export const options = s.options;
export default s.iteration;
export const handleSummary = s.handleSummary;
