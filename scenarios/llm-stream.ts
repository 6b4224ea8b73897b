// llm-stream: streamed LLM requests at RATE (warm-up, then DURATION measured):
// TTFT, ITL, TPOT, tokens/s, server queue and inference time.
import { defineScenario } from '../lib/k6/run/define.ts';

const s = defineScenario('llm-stream');
export const options = s.options;
export default s.iteration;
export const handleSummary = s.handleSummary;
