// llm-stream: streamed LLM requests at RATE (warm-up, then DURATION measured):
// TTFT, ITL, TPOT, tokens/s, server queue and inference time.
import { steadyPlan } from '../lib/shared/plan/shapes.ts';
import { defineScenario } from '../lib/k6/run/define.ts';

const s = defineScenario({ traffic: 'llm', stream: true }, steadyPlan);
export const options = s.options;
export default s.iteration;
export const handleSummary = s.handleSummary;
