// The SLO format as JSON Schema (draft 2020-12), emitted from the zod schema so
// editors can validate thresholds/*.json. thresholds/slo.schema.json is this
// text; json-schema.test.ts fails when it is stale and rewrites it with
// GENLOAD_UPDATE_SCHEMA=1.

import { z } from 'zod';
import { sloSchema } from './schema.ts';

export function sloJsonSchemaText(): string {
  const schema = z.toJSONSchema(sloSchema, { io: 'input', target: 'draft-2020-12' });
  return `${JSON.stringify({ ...schema, title: 'genload SLO profile', description: 'See thresholds/README.md' }, null, 2)}\n`;
}
