// parseSlo: validates an SLO document and returns it typed, or throws one
// SloError listing every problem (lowercase, naming the field, the rule and the value).

import type { z } from 'zod';
import { sloSchema, type Slo } from './schema.ts';

export class SloError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(
      `invalid slo in ${source} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'SloError';
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function show(v: unknown): string {
  if (v === undefined) return 'missing';
  const text = JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** One problem line per zod issue: "<field>: <rule>, but is <value>". */
export function describeIssues(json: unknown, issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    if (issue.code === 'unrecognized_keys') {
      return `${field}: unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => `'${k}'`).join(', ')} (not allowed)`;
    }
    return `${field}: ${issue.message.toLowerCase()}, but is ${show(valueAt(json, issue.path))}`;
  });
}

export function parseSlo(json: unknown, source: string): Slo {
  const result = sloSchema.safeParse(json);
  if (!result.success) throw new SloError(source, describeIssues(json, result.error.issues));
  return result.data;
}
