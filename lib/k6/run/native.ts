// The request path in Go (k6/x/genload's runner, build/xk6-sse/runner.go):
// the runner samples the work item, fills the body, sends it, and records a
// complete OpenAI completion without any interpreted code; whatever it cannot
// finish (a class it has no recipe for, a failure, an answer its scan does not
// read) comes back with the work item and the reply, and the target's own
// code finishes it (runIteration). Pure: the runner is passed in, so all of
// this is unit-tested in Node.
//
// A class's recipe is derived from the target's own body code, not written a
// second time: the target is asked to send a marker work item through a
// capturing transport, and the markers in the captured body become the
// template's holes. Before the runner is used, verifyRunner checks that the
// runner samples what sampleRequest samples and that each recipe's body is
// byte for byte what the target sends, for a few dozen work items; any
// difference turns the runner off (warning) and the run uses the script path.

import { TAG } from '../../shared/metrics.ts';
import { promptPool } from '../../shared/workload/prompts.ts';
import { mixOf, type WorkItem } from '../../shared/workload/sample.ts';
import type { PerRequestLimits } from '../../shared/slo/schema.ts';
import type { HttpReply, RequestSpec, Transport } from '../transport/types.ts';
import type { TargetContext } from '../targets/types.ts';
import { requestContext, sampleRequest, type RunContext } from './context.ts';
import type { TrafficClass } from '../../shared/metrics.ts';

export interface Recipe {
  method: string;
  url: string;
  headers: Readonly<Record<string, string>>;
  timeoutMs: number;
  answer: 'openai-completion';
  literals: string[];
  holes: Hole[];
}

export type Hole = 'prompt' | 'maxTokens' | 'seed' | 'sizePx' | 'steps';

export interface RunnerSpec {
  seed: number;
  pool: { text: string; starts: readonly number[] };
  workload: { promptSet: string; maxTokens: number; maxTokensDist: string; maxPromptChars: number; stream: boolean; sizes: readonly number[]; steps: readonly number[] };
  recipes: Partial<Record<TrafficClass, Recipe>>;
  perRequest: Partial<Record<TrafficClass, PerRequestLimits>>;
}

/** What k6/x/genload's runner does (GenloadRunner of lib/k6/types/k6-x-sse.d.ts). */
export interface NativeRunner {
  next(phaseIndex: number, requestKey: number, llmShare: number, stage: string): { work: WorkItem; reply?: HttpReply } | undefined;
  work(phaseIndex: number, requestKey: number, llmShare: number): WorkItem;
  body(work: WorkItem): string | undefined;
}

/** The marker work items: values no real work item has, found again in the captured body. */
const MARK = { prompt: '\u0001genload-prompt\u0001', maxTokens: 987_654_301, seed: 987_654_302, sizePx: 987_654_303, steps: 987_654_304 } as const;
const MARK_TEXT: Readonly<Record<Hole, string>> = {
  // JSON.stringify writes U+0001 as \u0001, so this is the prompt's escaped text
  prompt: JSON.stringify(MARK.prompt).slice(1, -1),
  maxTokens: String(MARK.maxTokens),
  seed: String(MARK.seed),
  sizePx: String(MARK.sizePx),
  steps: String(MARK.steps),
};
const MARK_PATTERN = new RegExp(Object.values(MARK_TEXT).map((m) => m.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')).join('|'), 'g');
const HOLE_OF = new Map(Object.entries(MARK_TEXT).map(([hole, text]) => [text, hole as Hole]));

function markerWork(cls: TrafficClass, stream: boolean): WorkItem {
  return cls === 'llm'
    ? { class: 'llm', prompt: MARK.prompt, promptWords: 16, maxTokens: MARK.maxTokens, stream, seed: MARK.seed }
    : { class: 'image', prompt: MARK.prompt, sizePx: MARK.sizePx, steps: MARK.steps, seed: MARK.seed };
}

/** The request a target makes for one work item, captured instead of sent; a string says why there is none. */
export function captureSpec(ctx: RunContext, work: WorkItem, stage: string): RequestSpec | string {
  let spec: RequestSpec | undefined;
  let streamed = false;
  const capture: Transport = {
    request(s) {
      spec ??= s;
      return { status: 0, body: '', headers: {}, durationMs: 0, errorCode: 1000, error: 'captured, not sent', server: {} };
    },
    stream(s) {
      streamed = true;
      spec ??= s;
      return { status: 0, headers: {}, totalMs: 0, errorCode: 1000, error: 'captured, not sent' };
    },
    sleepMs: () => {},
    nowMs: () => 0,
  };
  const rc = requestContext(ctx, stage, work.class);
  const target: TargetContext = { ...rc.target, transport: capture };
  try {
    ctx.target.send(work, target);
  } catch (err) {
    return `the target throws for a ${work.class} work item: ${String(err)}`;
  }
  if (spec === undefined) return `the target sends no request for a ${work.class} work item`;
  if (streamed) return `${work.class} answers are streamed`;
  return spec;
}

/** The recipe of one class, from the target's own request for a marker work item; a string says why there is none. */
export function deriveRecipe(ctx: RunContext, cls: TrafficClass, stage = 'measure'): Recipe | string {
  const spec = captureSpec(ctx, markerWork(cls, ctx.workload.stream), stage);
  if (typeof spec === 'string') return spec;
  if (spec.answer !== 'openai-completion') return `${cls} answers are not read in Go (answer: ${spec.answer ?? 'none'})`;
  if (spec.body === undefined) return `${cls} requests have no body`;
  const literals: string[] = [];
  const holes: Hole[] = [];
  let from = 0;
  for (const m of spec.body.matchAll(MARK_PATTERN)) {
    literals.push(spec.body.slice(from, m.index));
    holes.push(HOLE_OF.get(m[0]) ?? 'prompt');
    from = m.index + m[0].length;
  }
  literals.push(spec.body.slice(from));
  return { method: spec.method, url: spec.url, headers: spec.headers, timeoutMs: spec.timeoutMs, answer: spec.answer, literals, holes };
}

/** The runner's spec for a run: the classes with a recipe go to Go, the others (deriveRecipe says why) stay in the script. */
export function runnerSpec(ctx: RunContext): RunnerSpec {
  const w = ctx.workload;
  const recipes: Partial<Record<TrafficClass, Recipe>> = {};
  for (const cls of ctx.target.classes) {
    const r = deriveRecipe(ctx, cls);
    if (typeof r !== 'string') recipes[cls] = r;
  }
  const pool = promptPool();
  return {
    seed: ctx.config.load.seed,
    pool: { text: pool.text, starts: pool.starts },
    workload: { promptSet: w.promptSet, maxTokens: w.maxTokens, maxTokensDist: w.maxTokensDist, maxPromptChars: w.maxPromptChars, stream: w.stream, sizes: mixOf(w.sizeMix, w.sizePx), steps: mixOf(w.stepsMix, w.steps) },
    recipes,
    perRequest: ctx.perRequest,
  };
}

/** Work items checked before a runner is used: enough to meet long and short prompts, and every mix value a few times. */
export const VERIFY_KEYS = 32;

function sameWork(a: WorkItem, b: WorkItem): boolean {
  if (a.class !== b.class || a.prompt !== b.prompt || a.seed !== b.seed) return false;
  if (a.class === 'llm' && b.class === 'llm') return a.promptWords === b.promptWords && a.maxTokens === b.maxTokens && a.stream === b.stream;
  if (a.class === 'image' && b.class === 'image') return a.sizePx === b.sizePx && a.steps === b.steps;
  return false;
}

function describe(w: WorkItem): string {
  return JSON.stringify(w).slice(0, 200);
}

/**
 * Problems found when the runner's sampling and bodies are compared with the
 * script's own (sampleRequest, target.send) for VERIFY_KEYS work items per
 * class the target sends, and the recipe's fixed parts with each captured
 * request; [] when they agree.
 */
export function verifyRunner(ctx: RunContext, runner: NativeRunner, recipes: Partial<Record<TrafficClass, Recipe>>): string[] {
  const problems: string[] = [];
  const stage = 'measure';
  for (const cls of ctx.target.classes) {
    const share = cls === 'llm' ? 1 : 0;
    const recipe = recipes[cls];
    for (let key = 0; key < VERIFY_KEYS && problems.length === 0; key++) {
      const mine = sampleRequest(ctx, 0, key, share);
      const go = runner.work(0, key, share);
      if (!sameWork(mine, go)) {
        problems.push(`sampling differs for ${cls} request ${key}: script ${describe(mine)}, Go ${describe(go)}`);
        break;
      }
      if (recipe === undefined) continue;
      const spec = captureSpec(ctx, mine, stage);
      if (typeof spec === 'string') {
        problems.push(`${cls} request ${key}: ${spec}`);
        break;
      }
      const body = runner.body(mine);
      if (spec.body !== body) problems.push(`body differs for ${cls} request ${key}: script ${String(spec.body).slice(0, 200)}, Go ${String(body).slice(0, 200)}`);
      const tags = spec.tags;
      const fixed =
        spec.method === recipe.method &&
        spec.url === recipe.url &&
        spec.timeoutMs === recipe.timeoutMs &&
        spec.answer === recipe.answer &&
        sameRecord(spec.headers, recipe.headers) &&
        sameRecord(tags, { [TAG.stage]: stage, [TAG.class]: cls });
      if (!fixed) problems.push(`${cls} request ${key}: method, URL, headers, tags, timeout or answer shape vary between requests`);
    }
  }
  return problems;
}

function sameRecord(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/** The body a recipe gives for a work item: what the Go runner's bodyTemplate.fill does (runner.golden.json holds both to it). */
export function recipeBody(recipe: Pick<Recipe, 'literals' | 'holes'>, work: WorkItem): string {
  let out = recipe.literals[0] ?? '';
  for (let i = 0; i < recipe.holes.length; i++) out += holeText(recipe.holes[i] ?? 'prompt', work) + (recipe.literals[i + 1] ?? '');
  return out;
}

function holeText(hole: Hole, work: WorkItem): string {
  switch (hole) {
    case 'prompt':
      return JSON.stringify(work.prompt).slice(1, -1);
    case 'seed':
      return String(work.seed);
    case 'maxTokens':
      return String(work.class === 'llm' ? work.maxTokens : 0);
    case 'sizePx':
      return String(work.class === 'image' ? work.sizePx : 0);
    case 'steps':
      return String(work.class === 'image' ? work.steps : 0);
  }
}

/** A target context whose transport answers with a reply already received (the runner sent the request). */
export function replayContext(target: TargetContext, reply: HttpReply): TargetContext {
  let used = false;
  const transport: Transport = {
    ...target.transport,
    request() {
      if (used) throw new Error('runner: the target asked for a second request; only one was sent');
      used = true;
      return reply;
    },
  };
  return { ...target, transport };
}
