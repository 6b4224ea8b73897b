// The compare-plan's prompts as k6 sent them, rebuilt on the Node side: the
// same seeded sampling (lib/shared/workload) with the same seed mix as
// lib/k6/run/iteration.ts (run seed, phase index 0, prompt index), so prompt i
// here is exactly the prompt of iterations i×(W+M) … i×(W+M)+W+M-1 in k6.
// Pure; capture.test.ts checks it against the k6 iteration with a fake transport.

import type { TargetApi } from '../../shared/run-config.ts';
import { mixSeed, seededUniform } from '../../shared/stats/random.ts';
import { withWorkloadDefaults, type Workload } from '../../shared/workload/defaults.ts';
import { sampleClass, sampleWork, type WorkItem } from '../../shared/workload/sample.ts';

/** Traffic classes each API can carry for output capture (lib/k6/targets/registry.ts has the full table). */
export const CAPTURE_APIS: Partial<Record<TargetApi, { llm: boolean; image: boolean }>> = {
  reference: { llm: true, image: true },
  'openai-chat': { llm: true, image: false },
  'openai-completions': { llm: true, image: false },
  'openai-images': { llm: false, image: true },
};

export interface PlannedPrompt {
  promptIndex: number;
  work: WorkItem;
}

/** LLM share of compare-plan (traffic 'auto'): workload.trafficClass when set, else LLM when the API can. */
export function autoLlmShare(api: TargetApi, workload: Workload): number | undefined {
  const can = CAPTURE_APIS[api];
  if (can === undefined) return undefined;
  if (workload.trafficClass === 'llm') return can.llm ? 1 : undefined;
  if (workload.trafficClass === 'image') return can.image ? 0 : undefined;
  return can.llm ? 1 : 0;
}

/** One work item per prompt of the plan (planPrompts of them), in prompt order. */
export function plannedPrompts(api: TargetApi, seed: number, workloadRecord: Readonly<Record<string, unknown>>): PlannedPrompt[] {
  const workload = withWorkloadDefaults(workloadRecord);
  const llmShare = autoLlmShare(api, workload);
  if (llmShare === undefined) throw new Error(`target.api: output capture supports ${Object.keys(CAPTURE_APIS).join(', ')} for traffic ${workload.trafficClass}, but is '${api}'`);
  const phaseIndex = 0; // compare-plan has one phase
  return Array.from({ length: workload.planPrompts }, (_, promptIndex) => {
    const u = seededUniform(mixSeed(seed, phaseIndex, promptIndex));
    const cls = sampleClass(u, llmShare);
    return { promptIndex, work: sampleWork(u, workload, cls) };
  });
}
