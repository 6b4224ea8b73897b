// breakpoint: one continuous arrival-rate ramp from RATE to MAX_RATE over
// DURATION, reported in 10 windows (bp-01...), stopped as soon as the SLO breaks.
import { defineScenario } from '../lib/k6/run/define.ts';

const s = defineScenario('breakpoint');
export const options = s.options;
export default s.iteration;
export const handleSummary = s.handleSummary;
