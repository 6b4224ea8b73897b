// diffusion: image generation at RATE (warm-up, then DURATION measured):
// end-to-end and per-step latency, images/s, server queue and denoise time.
import { steadyPlan } from '../lib/shared/plan/shapes.ts';
import { defineScenario } from '../lib/k6/run/define.ts';

const s = defineScenario({ traffic: 'image' }, steadyPlan);
export const options = s.options;
export default s.iteration;
export const handleSummary = s.handleSummary;
