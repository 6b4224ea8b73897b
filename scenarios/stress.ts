// stress: ramp up to MAX_RATE, hold it (judged), ramp down: how the target
// behaves above its normal load.
import { defineScenario } from '../lib/k6/run/define.ts';

const s = defineScenario('stress');
export const options = s.options;
export default s.iteration;
export const handleSummary = s.handleSummary;
