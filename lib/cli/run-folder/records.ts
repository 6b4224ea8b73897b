// Records of a run folder with one schema for writer and reader: the writer
// checks what it writes against the schema (a mismatch is a bug: it throws),
// the reader gets the schema's type back. A missing file is "not recorded"
// (a crashed run leaves files out; every write is atomic, so a file that is
// there is whole): undefined. A file that is there but is not JSON or not of
// the schema's shape is an error naming the file, the field and the rule.

import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { RUN_FILE } from './names.ts';
import { writeJsonAtomic } from './write.ts';

export const RUN_RESULT_SCHEMA_VERSION = 1;

/** run.json: how the run ended. Every field optional on reading: files from older versions lack some. */
export const runResultSchema = z.looseObject({
  schemaVersion: z.number().optional(),
  runId: z.string().optional(),
  scenario: z.string().optional(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  k6ExitCode: z.number().optional(),
  exitCode: z.number().optional(),
  verdict: z.string().optional(),
  message: z.string().optional(),
  interrupted: z.boolean().optional(),
});
export type RunResult = z.infer<typeof runResultSchema>;

/** run.json as this version writes it: every field present. */
const writtenRunResultSchema = runResultSchema.required().extend({
  schemaVersion: z.literal(RUN_RESULT_SCHEMA_VERSION),
});
export type WrittenRunResult = z.infer<typeof writtenRunResultSchema>;

/** A record that is there but cannot be read as its schema says; the message names the file, the field and the rule. */
export class RecordError extends Error {
  override name = 'RecordError';
}

/** stages[2].completed; '(the record)' for the root */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : out === '' ? String(k) : `.${String(k)}`;
  return out === '' ? '(the record)' : out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): { found: boolean; value: unknown } {
  let v: unknown = root;
  for (const k of path) {
    if (typeof v !== 'object' || v === null || !(k in v)) return { found: false, value: undefined };
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return { found: true, value: v };
}

function shown(v: unknown): string {
  if (typeof v === 'string') return `'${v.length > 60 ? `${v.slice(0, 57)}...` : v}'`;
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'object' && v !== null) return 'an object';
  return String(v);
}

const ARTICLE: Record<string, string> = {
  array: 'a list',
  object: 'an object',
  record: 'an object',
  int: 'a whole number',
  boolean: 'true or false',
};

const listed = (xs: readonly unknown[]): string => {
  const words = xs.map((x) => (typeof x === 'string' ? `'${x}'` : String(x)));
  return words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
};

function rule(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${ARTICLE[issue.expected] ?? `a ${issue.expected}`}`;
    case 'invalid_value':
      return `must be ${listed(issue.values)}`;
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) === 1
          ? 'must be a non-empty string'
          : `must have at least ${String(issue.minimum)} characters`;
      if (issue.origin === 'array') return `must hold at least ${String(issue.minimum)} entries`;
      return `must be ${issue.inclusive === false ? '>' : '>='} ${String(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'string') return `must have at most ${String(issue.maximum)} characters`;
      if (issue.origin === 'array') return `must hold at most ${String(issue.maximum)} entries`;
      return `must be ${issue.inclusive === false ? '<' : '<='} ${String(issue.maximum)}`;
    case 'unrecognized_keys':
      return `has unknown field(s) ${issue.keys.join(', ')}; must have none`;
    case 'custom':
      return issue.message;
    default:
      return `must be valid (${issue.message})`;
  }
}

/** One line per problem: "summary.json: stages[2].completed must be a boolean, but is 'yes'". */
export function describeIssues(file: string, raw: unknown, error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const at = valueAt(raw, issue.path);
    // a custom rule's message may already say what the value is
    const said = issue.code === 'unrecognized_keys' || (issue.code === 'custom' && issue.message.includes(', but '));
    const is = said ? '' : at.found ? `, but is ${shown(at.value)}` : ', but is missing';
    return `${file}: ${fieldPath(issue.path)} ${rule(issue)}${is}`;
  });
}

/** The value parsed by schema, or a RecordError naming every field that breaks it. */
export function parseRecord<S extends z.ZodType>(file: string, schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new RecordError(describeIssues(file, raw, parsed.error).join('\n'));
}

/** Reads a JSON record through its schema: undefined when the file is missing; a RecordError when it is not JSON or not of the schema's shape. */
export function readRecord<S extends z.ZodType>(path: string, schema: S): z.infer<S> | undefined {
  if (!existsSync(path)) return undefined;
  const file = basename(path);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new RecordError(`${file}: must be JSON, but ${(err as Error).message} (${path})`);
  }
  return parseRecord(file, schema, raw);
}

/** Writes a JSON record after checking it against the schema its readers use (a mismatch is a bug: it throws); writes the value as given, field order kept. Typed by the per-record write functions. */
export function writeRecord(path: string, schema: z.ZodType, value: unknown): void {
  parseRecord(basename(path), schema, value);
  writeJsonAtomic(path, value);
}

export function readRunResult(runDir: string): RunResult | undefined {
  return readRecord(join(runDir, RUN_FILE.run), runResultSchema);
}

/** Writes run.json after checking it against the schema its readers use (a mismatch is a bug: it throws). */
export function writeRunResult(runDir: string, result: WrittenRunResult): void {
  writeRecord(join(runDir, RUN_FILE.run), writtenRunResultSchema, result);
}
