// One text request: prefill of the prompt, then decode steps shared with the
// other sequences on the same worker (continuous batching, see llm-source.ts).
// Sampling, UTF-8-safe detokenising and stop strings run here, on the main
// thread, between steps (a few µs per token for a 259-token vocabulary).
import { EngineError, type TextRequest, type TextResult, type TokenEvent } from '../engine/types.ts';
import type { LlmSize } from '../models/presets.ts';
import { Random } from '../pipelines/random.ts';
import { sampleToken } from '../pipelines/sampler.ts';
import { StopMatcher } from '../pipelines/stop.ts';
import { EOS, IncrementalDecoder, VOCAB_SIZE, encodePrompt } from '../pipelines/tokenizer.ts';
import type { LlmSeq, LlmSource } from './llm-source.ts';
import { abortError, bump, nowMs, type Runtime } from './runtime.ts';

export interface TextSeq extends LlmSeq {
  /** called with the last-position logits of this sequence after each step */
  onLogits(logits: Float32Array, batchSize: number): void;
  fail(err: Error): void;
  prefillStartMs: number;
  prefillEndMs: number;
}

let nextSeqId = 1;

/** one batched LLM call on a worker; results or failure go to each sequence */
export async function runLlmStep(
  rt: Runtime,
  workerId: number,
  steps: { seq: TextSeq; tokens: number[] }[],
  prefill: boolean,
): Promise<void> {
  const model = steps[0]!.seq.model;
  const startMs = nowMs();
  if (prefill) for (const { seq } of steps) seq.prefillStartMs = startMs;
  try {
    const r = await rt.pool.request(workerId, {
      kind: 'llm-step',
      session: `${model}/decoder`,
      seqs: steps.map(({ seq, tokens }) => ({ seqId: seq.id, tokens })),
    });
    rt.observer.onBatch?.({
      model,
      stage: prefill ? 'prefill' : 'decode',
      batchSize: steps.length,
      durationMs: r.runMs,
      workerId,
    });
    const logits = r.outputs.logits!.data as Float32Array;
    steps.forEach(({ seq }, b) => {
      if (prefill) seq.prefillEndMs = nowMs();
      seq.onLogits(logits.subarray(b * VOCAB_SIZE, (b + 1) * VOCAB_SIZE), steps.length);
    });
  } catch (err) {
    for (const { seq } of steps) seq.fail(err as Error);
  }
}

export function generateText(
  rt: Runtime,
  source: LlmSource<TextSeq>,
  s: LlmSize,
  req: TextRequest,
  signal: AbortSignal,
  onToken: (t: TokenEvent) => void,
): Promise<TextResult> {
  const t0 = nowMs();
  const prompt = encodePrompt(req.prompt, s.contextTokens);
  if (prompt.length + req.maxTokens > s.contextTokens) {
    throw new EngineError(
      'invalid_request',
      `prompt: ${prompt.length} prompt tokens + max_tokens ${req.maxTokens} must be <= the context window of ${s.contextTokens} tokens`,
    );
  }
  const rng = new Random(req.seed);
  const decoder = new IncrementalDecoder();
  const stop = new StopMatcher(req.stop);
  let text = '';
  let count = 0;
  let firstTokenMs = 0;
  let batchSum = 0;
  let decodeSteps = 0;
  bump(rt.waiting, req.model, 1);

  return new Promise<TextResult>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: { reason: TextResult['finishReason'] } | { error: Error }) => {
      if (settled) return;
      settled = true;
      source.remove(seq);
      rt.pool.post(seq.workerId, { kind: 'llm-free', seqIds: [seq.id] });
      signal.removeEventListener('abort', onAbort);
      bump(seq.prefilled ? rt.running : rt.waiting, req.model, -1);
      if ('error' in outcome) return reject(outcome.error);
      const end = nowMs();
      const prefillMs = seq.prefillEndMs - seq.prefillStartMs;
      resolve({
        text,
        promptTokens: prompt.length,
        completionTokens: count,
        finishReason: outcome.reason,
        timings: {
          queueMs: seq.prefillStartMs - t0,
          prefillMs,
          decodeMs: end - seq.prefillEndMs,
          ttftMs: (firstTokenMs || end) - t0,
          totalMs: end - t0,
          meanBatchSize: decodeSteps > 0 ? batchSum / decodeSteps : 1,
        },
      });
    };
    const emit = (piece: string, index: number) => {
      text += piece;
      onToken({ text: piece, index });
    };
    const seq: TextSeq = {
      id: nextSeqId++,
      model: req.model,
      workerId: source.place(rt.pool.size, (w) => rt.pool.isAlive(w)),
      pending: prompt,
      prefilled: false,
      prefillStartMs: 0,
      prefillEndMs: 0,
      fail: (error) => finish({ error }),
      onLogits(logits, batchSize) {
        if (!seq.prefilled) {
          seq.prefilled = true;
          bump(rt.waiting, req.model, -1);
          bump(rt.running, req.model, 1);
        } else {
          batchSum += batchSize;
          decodeSteps++;
        }
        if (signal.aborted) return finish({ error: abortError(signal) });
        const token = sampleToken(logits, req, rng);
        if (token === EOS) {
          const rest = decoder.flush() + stop.flush();
          if (rest) emit(rest, Math.max(0, count - 1));
          return finish({ reason: 'stop' });
        }
        const r = stop.push(decoder.push(token));
        if (count === 0) firstTokenMs = nowMs();
        emit(r.emit, count++);
        if (r.stopped) return finish({ reason: 'stop' });
        if (count >= req.maxTokens) {
          const rest = stop.push(decoder.flush());
          const tail = rest.stopped ? rest.emit : rest.emit + stop.flush();
          if (tail) emit(tail, count - 1);
          return finish({ reason: rest.stopped ? 'stop' : 'length' });
        }
        seq.pending = [token];
        rt.dispatcher.pump();
      },
    };
    /** a queued sequence leaves at once; one in flight leaves when its step returns */
    const onAbort = () => {
      if (seq.pending !== null) finish({ error: abortError(signal) });
    };
    if (signal.aborted) return finish({ error: abortError(signal) });
    signal.addEventListener('abort', onAbort, { once: true });
    source.add(seq);
    rt.dispatcher.pump();
  });
}
