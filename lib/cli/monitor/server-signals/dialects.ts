// The dialect table: one file per server under dialects/, one line here.
// detectDialect picks the dialect whose marks the endpoint exposes; a
// server exposing several (a proxy in front of two engines) gets the first
// in this order, and SERVER_DIALECT can force another.

import { DIALECT_IDS } from '../../../shared/server-signals.ts';
import type { Dialect } from './dialect.ts';
import { genload } from './dialects/genload.ts';
import { llamacpp } from './dialects/llamacpp.ts';
import { sglang } from './dialects/sglang.ts';
import { tgi } from './dialects/tgi.ts';
import { triton } from './dialects/triton.ts';
import { vllm } from './dialects/vllm.ts';

export const DIALECTS: readonly Dialect[] = [vllm, llamacpp, sglang, tgi, triton, genload];
export { DIALECT_IDS };

export function dialectById(id: string): Dialect | undefined {
  return DIALECTS.find((d) => d.id === id);
}

/** The first dialect one of whose marks is among the exposed names, or undefined. */
export function detectDialect(names: ReadonlySet<string>): Dialect | undefined {
  return DIALECTS.find((d) => d.marks.some((m) => names.has(m)));
}
