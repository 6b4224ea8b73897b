// A reused workload file (WORKLOAD_FILE): its request lines are sent again as
// they are, under a header whose phase blocks fit this run's plan.

import { createHash } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, openSync, readSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Plan } from '../../shared/plan/phase.ts';
import { phaseBlocks, type PhaseBlock } from '../../shared/plan/requests.ts';
import { planRun } from '../../shared/scenarios.ts';
import { ConfigError } from '../errors.ts';
import { readWorkloadFile, type WorkloadHeader } from './file.ts';
import type { RunWorkload, RunWorkloadInput } from './plan-input.ts';

/** `workloadFile`'s requests copied to `path` (the run's workload.jsonl), for k6 at `pathForK6`. */
export async function buildFromFile(
  input: RunWorkloadInput,
  workloadFile: string,
  path: string,
  pathForK6: string,
): Promise<RunWorkload> {
  const read = readWorkloadFile(workloadFile);
  const source = read.header;
  const problems: string[] = [];
  if (source.api !== input.api)
    problems.push(`WORKLOAD_FILE: was built for API '${source.api}', but this run's is '${input.api}'`);
  const trace = source.trace ? { requests: read.count, lastAtMs: read.lastAtMs ?? 0 } : undefined;
  const { plan } = planRun(input.scenario, input.api, input.load, input.workload, trace);
  if (source.trace && input.scenario !== 'trace')
    problems.push(
      `WORKLOAD_FILE: holds a trace, which replays its own schedule with SCENARIO=trace, but SCENARIO is '${input.scenario}'`,
    );
  if (problems.length > 0) throw new ConfigError(problems);
  const blocks = source.trace
    ? [{ name: 'trace', from: 0, count: source.count }]
    : blocksOver(plan, source.count, source.phases);
  const written = await copyWithHeader(workloadFile, path, { ...source, phases: blocks });
  if (written.requestsSha256 !== read.requestsSha256)
    throw new Error(`WORKLOAD_FILE: ${workloadFile} changed while it was copied`);
  return {
    ref: { path: pathForK6, sha256: written.requestsSha256, count: source.count, source: 'file' },
    plan,
    description: `workload: ${source.count} requests from ${workloadFile} (request list sha256 ${written.requestsSha256.slice(0, 12)})`,
  };
}

/**
 * Blocks for a reused file: the file's own when they cover this plan's phases
 * with enough requests, else this plan's blocks laid over the file's requests
 * (shares of it, in order) so a different plan still sends the same requests.
 */
export function blocksOver(plan: Plan, count: number, own: readonly PhaseBlock[]): PhaseBlock[] {
  const wanted = phaseBlocks(plan);
  const ownByName = new Map(own.map((b) => [b.name, b]));
  if (wanted.every((b) => (ownByName.get(b.name)?.count ?? 0) >= Math.min(b.count, count)))
    return wanted.map((b) => ownByName.get(b.name) as PhaseBlock);
  const total = wanted.reduce((a, b) => a + b.count, 0);
  if (total <= count) return wanted;
  let from = 0;
  return wanted.map((b, k) => {
    const share = k === wanted.length - 1 ? count - from : Math.max(1, Math.floor((count * b.count) / total));
    const block = {
      name: b.name,
      from: Math.min(from, count - 1),
      count: Math.max(1, Math.min(share, count - Math.min(from, count - 1))),
    };
    from += share;
    return block;
  });
}

/** Writes `header` as the first line of `dst`, then the request lines of `src` unchanged; the request list's hash. */
async function copyWithHeader(src: string, dst: string, header: WorkloadHeader): Promise<{ requestsSha256: string }> {
  const first = firstLineBytes(src);
  const hash = createHash('sha256');
  const out = createWriteStream(dst);
  out.write(`${JSON.stringify(header)}\n`);
  const input = createReadStream(src, { start: first });
  input.on('data', (chunk) => hash.update(chunk));
  await pipeline(input, out);
  return { requestsSha256: hash.digest('hex') };
}

/** Bytes of a file's first line, its "\n" included. */
function firstLineBytes(path: string): number {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(1 << 16);
    let offset = 0;
    for (let n = readSync(fd, buf, 0, buf.length, 0); n > 0; n = readSync(fd, buf, 0, buf.length, offset)) {
      const nl = buf.subarray(0, n).indexOf(10);
      if (nl >= 0) return offset + nl + 1;
      offset += n;
    }
    return offset;
  } finally {
    closeSync(fd);
  }
}
