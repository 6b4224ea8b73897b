// trace: replays a recorded trace (TRACE=path, Mooncake or Azure LLM inference
// columns) on its own schedule, optionally time-scaled (TRACE_SPEED=2 plays it
// twice as fast): request k is sent at its own arrival time with its own input
// and output lengths. MAX_VUS bounds the requests in flight; start lag shows
// how closely the schedule was kept. Judged by the SLO as stage measure.
import { defineScenario } from '../lib/k6/run/define.ts';

const s = defineScenario('trace');
export const options = s.options;
export default s.iteration;
export const handleSummary = s.handleSummary;
