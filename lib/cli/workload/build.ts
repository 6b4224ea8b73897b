// workloadItemList(spec): the run's requests as neutral items, deterministic for a seed.
// Sources, first match wins: trace rows (one llm request a row, count = rows),
// dataset entries (file order, cycled to count), else synthetic prompts.
// Per request i every random choice comes from its own stream (seeds.ts), so a
// request does not change when another one does.

import { mixSeed, seededUniform } from '../../shared/stats/random.ts';
import type { DatasetEntry } from './dataset.ts';
import { shown, throwIfProblems } from './errors.ts';
import type { LlmItem, Message, WorkloadItem } from './items.ts';
import { sampleLength, samplePair, type LengthDist, type TokenPair } from './lengths.ts';
import { capMessages } from './cap.ts';
import { Conversations, type PrefixSpec } from './conversations.ts';
import { Purpose } from './seeds.ts';
import { PromptMaker } from './synthetic.ts';
import { imagePrompt } from './text.ts';
import type { Tokenizer } from './tokenizer.ts';
import { tracePrompt, type BlockCache } from './trace-prompt.ts';
import type { TraceRow } from './trace.ts';

export interface WorkloadSpec {
  seed: number;
  /** requests (synthetic and dataset); a trace has one request a row */
  count: number;
  /** probability that a synthetic request is llm (else image), drawn per request */
  llmShare: number;
  /** synthetic input and output lengths; `pairs`, when given, replaces both */
  input: LengthDist;
  output: LengthDist;
  pairs?: readonly TokenPair[];
  tokenizer: Tokenizer;
  dataset?: readonly DatasetEntry[];
  trace?: readonly TraceRow[];
  /** synthetic: shared system prompts */
  prefixes?: PrefixSpec;
  /** synthetic: turns per conversation (1 = single-turn) */
  turns?: number;
  /** synthetic multi-turn: conversations open at once, whose turns interleave */
  conversationsInFlight?: number;
  /** image sizes and step counts, each picked uniformly per image request */
  sizeMixPx: readonly number[];
  stepsMix: readonly number[];
  /** longest prompt in characters over all message contents (0 or undefined = no cap) */
  maxPromptChars?: number;
}

export const WORKLOAD_DEFAULTS = Object.freeze({ turns: 1, conversationsInFlight: 8, maxPromptChars: 0 });

const whole = (v: unknown, min: number) => typeof v === 'number' && Number.isInteger(v) && v >= min;

function validate(spec: WorkloadSpec): void {
  const p: string[] = [];
  if (!whole(spec.count, 1)) p.push(`count: must be a whole number >= 1, but is ${shown(spec.count)}`);
  if (!(spec.llmShare >= 0 && spec.llmShare <= 1)) p.push(`llmShare: must be in 0..1, but is ${shown(spec.llmShare)}`);
  if (spec.pairs !== undefined && spec.pairs.length === 0)
    p.push('pairs: must hold at least one in:out pair, but is empty');
  if (spec.turns !== undefined && !whole(spec.turns, 1))
    p.push(`turns: must be a whole number >= 1, but is ${shown(spec.turns)}`);
  if (spec.conversationsInFlight !== undefined && !whole(spec.conversationsInFlight, 1))
    p.push(`conversationsInFlight: must be a whole number >= 1, but is ${shown(spec.conversationsInFlight)}`);
  if (spec.sizeMixPx.length === 0 || !spec.sizeMixPx.every((v) => whole(v, 1)))
    p.push(`sizeMixPx: must be whole numbers >= 1, but is ${shown(spec.sizeMixPx)}`);
  if (spec.stepsMix.length === 0 || !spec.stepsMix.every((v) => whole(v, 1)))
    p.push(`stepsMix: must be whole numbers >= 1, but is ${shown(spec.stepsMix)}`);
  if (spec.maxPromptChars !== undefined && !whole(spec.maxPromptChars, 0))
    p.push(`maxPromptChars: must be a whole number >= 0, but is ${shown(spec.maxPromptChars)}`);
  const pf = spec.prefixes;
  if (pf !== undefined) {
    if (!whole(pf.count, 1)) p.push(`prefixes.count: must be a whole number >= 1, but is ${shown(pf.count)}`);
    if (!whole(pf.tokens, 1)) p.push(`prefixes.tokens: must be a whole number >= 1, but is ${shown(pf.tokens)}`);
    if (!(pf.share >= 0 && pf.share <= 1)) p.push(`prefixes.share: must be in 0..1, but is ${shown(pf.share)}`);
  }
  if (spec.dataset !== undefined && spec.dataset.length === 0)
    p.push('dataset: must hold at least one entry, but is empty');
  if (spec.trace !== undefined && spec.trace.length === 0) p.push('trace: must hold at least one row, but is empty');
  throwIfProblems(p);
}

const pick = (values: readonly number[], u: () => number) => values[Math.floor(u() * values.length)] as number;

/** The requests, one at a time (file.ts writes them as they come). Throws WorkloadInputError on a bad spec. */
export function* workloadItems(spec: WorkloadSpec): Generator<WorkloadItem> {
  validate(spec);
  const maker = new PromptMaker(spec.tokenizer);
  const u = (i: number, purpose: number) => seededUniform(mixSeed(spec.seed, i, purpose));
  const cap = (item: LlmItem): LlmItem => capMessages(item, spec.maxPromptChars ?? 0, (text) => maker.count(text));
  const image = (i: number, prompt?: string, sizePx?: number, steps?: number): WorkloadItem => {
    const r = u(i, Purpose.image);
    return {
      class: 'image',
      prompt: prompt ?? imagePrompt(r),
      sizePx: sizePx ?? pick(spec.sizeMixPx, r),
      steps: steps ?? pick(spec.stepsMix, r),
    };
  };
  const lengths = (i: number): TokenPair =>
    spec.pairs !== undefined
      ? samplePair(spec.pairs, u(i, Purpose.inputLength))
      : {
          inputTokens: sampleLength(spec.input, u(i, Purpose.inputLength)),
          outputTokens: sampleLength(spec.output, u(i, Purpose.outputLength)),
        };

  if (spec.trace !== undefined) {
    const blocks: BlockCache = new Map();
    for (let i = 0; i < spec.trace.length; i++) {
      const row = spec.trace[i] as TraceRow;
      const content = tracePrompt(maker, row, mixSeed(spec.seed, i, Purpose.text), spec.seed, blocks);
      yield {
        ...cap({
          class: 'llm',
          messages: [{ role: 'user', content }],
          inputTokens: row.inputTokens,
          outputTokens: row.outputTokens,
        }),
        atMs: row.atMs,
      };
    }
    return;
  }
  if (spec.dataset !== undefined) {
    for (let i = 0; i < spec.count; i++) {
      const e = spec.dataset[i % spec.dataset.length] as DatasetEntry;
      if (e.class === 'image') {
        yield image(i, e.prompt, e.sizePx, e.steps);
        continue;
      }
      const messages: Message[] = e.messages.map((m) => ({ ...m }));
      const inputTokens = messages.reduce((n, m) => n + maker.count(m.content), 0);
      yield cap({ class: 'llm', messages, inputTokens, outputTokens: e.outputTokens ?? lengths(i).outputTokens });
    }
    return;
  }
  const conversations = new Conversations(
    maker,
    spec.seed,
    spec.turns ?? WORKLOAD_DEFAULTS.turns,
    spec.conversationsInFlight ?? WORKLOAD_DEFAULTS.conversationsInFlight,
    spec.prefixes,
  );
  for (let i = 0; i < spec.count; i++) {
    if (u(i, Purpose.class)() >= spec.llmShare) yield image(i);
    else yield cap(conversations.next(i, lengths(i)));
  }
}

/** All requests in memory (tests, small runs); workloadItems streams them. */
export function workloadItemList(spec: WorkloadSpec): WorkloadItem[] {
  return [...workloadItems(spec)];
}
