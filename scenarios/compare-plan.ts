// compare-plan: the source texts' comparison method. One VU sends planPrompts
// prompts, each planWarmup times (stage warmup) then planMeasured times (stage
// measure), sequentially; the summary gives mean, P50, P95, P99 so a baseline
// and a candidate run can be compared (make compare).
import { defineScenario } from '../lib/k6/run/define.ts';

const s = defineScenario('compare-plan');
export const options = s.options;
export default s.iteration;
export const handleSummary = s.handleSummary;
