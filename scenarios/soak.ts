// soak: RATE for a long DURATION, split into 3-10 windows (soak-01...) so
// latency drift and leaks show window by window.
import { defineScenario } from '../lib/k6/run/define.ts';

const s = defineScenario('soak');
export const options = s.options;
export default s.iteration;
export const handleSummary = s.handleSummary;
