// smoke: a couple of closed-model VUs sending back-to-back requests for
// DURATION, both traffic classes when the target has them. Proves the path end
// to end; judged by the SLO file (ci-smoke is a good one) or the default SLO.
import { defineScenario } from '../lib/k6/run/define.ts';

const s = defineScenario('smoke');
export const options = s.options;
export default s.iteration;
export const handleSummary = s.handleSummary;
