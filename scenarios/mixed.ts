// mixed: LLM and image traffic in one run at RATE in total (workload.classMix
// is the LLM share), each class judged by its own SLO section.
import { defineScenario } from '../lib/k6/run/define.ts';

const s = defineScenario('mixed');
export const options = s.options;
export default s.iteration;
export const handleSummary = s.handleSummary;
