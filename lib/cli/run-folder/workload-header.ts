// The header of workload.jsonl (line 1) as a schema. The header's type is
// declared once, in lib/shared/workload/contract.ts (shared with lib/k6 and
// mirrored by the Go decoder); this schema is its runtime check on the CLI's
// side, used by the writer before the header is written (workload/file.ts),
// the reader of a WORKLOAD_FILE and the output capture (outputs/request.ts).
// workload-header.test.ts checks schema and interface agree both ways.

import { z } from 'zod';
import { WORKLOAD_FORMAT, WORKLOAD_SOURCES, WORKLOAD_VERSION } from '../../shared/workload/contract.ts';

const whole = (min: number) => z.number().int().min(min);

export const workloadHeaderSchema = z
  .object({
    genload: z.literal(WORKLOAD_FORMAT),
    version: z.literal(WORKLOAD_VERSION),
    api: z.string().min(1),
    source: z.enum(WORKLOAD_SOURCES),
    tokenizer: z.string(),
    count: whole(1),
    phases: z.array(z.object({ name: z.string(), from: whole(0), count: whole(1) })),
    trace: z.boolean(),
  })
  .superRefine(
    (h, ctx) => {
      h.phases.forEach((ph, k) => {
        if (ph.from + ph.count > h.count)
          ctx.addIssue({
            code: 'custom',
            path: ['phases', k],
            message: `must lie within the ${h.count} requests, but ends at ${ph.from + ph.count}`,
          });
      });
    },
    // every problem at once: judged whenever count and phases themselves are good, whatever else is wrong
    { when: (p) => !p.issues.some((i) => i.path?.[0] === 'count' || i.path?.[0] === 'phases') },
  );
