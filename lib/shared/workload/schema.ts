// Validation of the workload record the CLI builds from Make variables and
// environment (values arrive as string, number or boolean). Node side only.

import { z } from 'zod';
import { describeIssues } from '../slo/parse.ts';
import { DEFAULT_WORKLOAD, ITL_SAMPLES, MAX_TOKENS_DISTS, PROMPT_SETS, type Workload } from './defaults.ts';

const positiveInt = z.coerce.number().int().positive();
const mix = z
  .union([z.string(), z.number()])
  .transform(String)
  .refine((s) => s.trim() === '' || s.split(',').every((p) => /^\s*[1-9]\d*\s*$/.test(p)), {
    message: 'must be a comma-separated list of whole numbers greater than 0, e.g. 4,8,20',
  });
const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((s) => s === 'true' || s === '1')]);

export const workloadSchema = z
  .object({
    promptSet: z.enum(PROMPT_SETS),
    maxTokens: positiveInt.max(32768),
    maxPromptChars: z.coerce.number().int().min(0),
    maxTokensDist: z.enum(MAX_TOKENS_DISTS),
    stream: bool,
    ignoreEos: bool,
    steps: positiveInt.max(1000),
    stepsMix: mix,
    sizePx: positiveInt.max(4096),
    sizeMix: mix,
    classMix: z.coerce.number().min(0).max(1),
    gammaShape: z.coerce.number().positive(),
    rampSteps: positiveInt.min(2).max(100),
    planPrompts: positiveInt,
    planWarmup: z.coerce.number().int().min(0),
    planMeasured: positiveInt,
    trafficClass: z.enum(['auto', 'llm', 'image']),
    pollIntervalMs: positiveInt,
    timeoutSeconds: z.coerce.number().positive(),
    requestPath: z.string().startsWith('/'),
    requestTemplate: z.string().min(2),
    itlSamples: z.enum(ITL_SAMPLES),
  })
  .strict()
  .partial();

export class WorkloadError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `invalid workload (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'WorkloadError';
  }
}

/** Validates the record and fills defaults; throws WorkloadError listing every problem. */
export function parseWorkload(record: Readonly<Record<string, string | number | boolean>>): Workload {
  const result = workloadSchema.safeParse(record);
  if (!result.success) throw new WorkloadError(describeIssues(record, result.error.issues).map((p) => `workload.${p}`));
  const out = { ...DEFAULT_WORKLOAD } as Record<string, unknown>;
  for (const [k, v] of Object.entries(result.data)) if (v !== undefined) out[k] = v;
  return out as unknown as Workload;
}
