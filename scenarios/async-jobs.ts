// async-jobs: submit jobs to the reference server's /v1/jobs at RATE and poll
// each until it finishes (workload.pollIntervalMs); end-to-end includes the queue.
// Image jobs unless workload.trafficClass=llm.
import { defineScenario } from '../lib/k6/run/define.ts';

const s = defineScenario('async-jobs');
export const options = s.options;
export default s.iteration;
export const handleSummary = s.handleSummary;
