// diffusion: image generation at RATE (warm-up, then DURATION measured):
// end-to-end and per-step latency, images/s, server queue and denoise time.
import { defineScenario } from '../lib/k6/run/define.ts';

const s = defineScenario('diffusion');
export const options = s.options;
export default s.iteration;
export const handleSummary = s.handleSummary;
