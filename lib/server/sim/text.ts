// Deterministic text for the sim: the same prompt and seed give the same
// tokens. A token is one word plus a space. Prompt tokens are counted as UTF-8
// bytes, like the onnx engine's byte-level tokenizer.
import { seededRandom } from './pace.ts';

const words = (
  'the a of load test model token image step queue batch server latency slot prompt stream result ' +
  'time rate request worker engine metric cache signal sample light river stone cloud garden north'
).split(' ');

export const promptTokenCount = (prompt: string): number => Buffer.byteLength(prompt, 'utf8');

function hash32(text: string): number {
  let h = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** an endless deterministic token source for (prompt, seed) */
export function tokenSource(prompt: string, seed: number): () => string {
  const rand = seededRandom((hash32(prompt) ^ seed) >>> 0);
  return () => `${words[Math.floor(rand() * words.length)]!} `;
}

/**
 * The part of `token` that may be emitted after `text` without producing any
 * stop string, and whether a stop string was hit.
 */
export function cutAtStop(text: string, token: string, stop: readonly string[]): { emit: string; stopped: boolean } {
  const joined = text + token;
  let cut = -1;
  for (const s of stop) {
    if (s === '') continue;
    const at = joined.indexOf(s, Math.max(0, text.length - s.length + 1));
    if (at >= 0 && (cut < 0 || at < cut)) cut = at;
  }
  if (cut < 0) return { emit: token, stopped: false };
  return { emit: joined.slice(text.length, Math.max(text.length, cut)), stopped: true };
}
