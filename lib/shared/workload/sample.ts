// Turns the workload knobs and a seeded random source into one request's
// parameters (a "work item"). Targets translate a work item into their API's body.

import { exponential, type Uniform } from '../stats/random.ts';
import type { TrafficClass } from '../metrics.ts';
import { parseMix, type Workload } from './defaults.ts';
import { promptText, samplePromptWords } from './prompts.ts';

export interface LlmWork {
  class: 'llm';
  prompt: string;
  promptWords: number;
  maxTokens: number;
  stream: boolean;
  seed: number;
}

export interface ImageWork {
  class: 'image';
  prompt: string;
  sizePx: number;
  steps: number;
  seed: number;
}

export type WorkItem = LlmWork | ImageWork;

function pick(u: Uniform, values: readonly number[]): number {
  return values[Math.floor(u() * values.length)] ?? values[0] ?? 0;
}

export function sampleMaxTokens(u: Uniform, w: Workload): number {
  switch (w.maxTokensDist) {
    case 'fixed':
      return w.maxTokens;
    case 'uniform':
      return 1 + Math.floor(u() * w.maxTokens);
    case 'exponential':
      return Math.min(w.maxTokens, Math.max(1, Math.round(exponential(u, w.maxTokens / 2))));
  }
}

export function sampleWork(u: Uniform, w: Workload, cls: TrafficClass): WorkItem {
  const seed = Math.floor(u() * 2 ** 31);
  if (cls === 'llm') {
    const promptWords = samplePromptWords(u, w.promptSet);
    const prompt = capPrompt(promptText(u, promptWords), w.maxPromptChars);
    return { class: 'llm', prompt, promptWords, maxTokens: sampleMaxTokens(u, w), stream: w.stream, seed };
  }
  const words = samplePromptWords(u, 'short');
  return { class: 'image', prompt: promptText(u, words), sizePx: pick(u, mixOf(w.sizeMix, w.sizePx)), steps: pick(u, mixOf(w.stepsMix, w.steps)), seed };
}

/** parseMix, remembered per text: the mixes are fixed for a run and parsed once, not per request. */
const parsedMixes = new Map<string, readonly number[]>();
export function mixOf(text: string, fallback: number): readonly number[] {
  if (text.trim() === '') return [fallback];
  let values = parsedMixes.get(text);
  if (values === undefined) {
    values = parseMix(text, fallback);
    parsedMixes.set(text, values);
  }
  return values;
}

/** Cuts a prompt to at most maxChars characters at a word boundary (0 = no cap). */
export function capPrompt(prompt: string, maxChars: number): string {
  if (maxChars <= 0 || prompt.length <= maxChars) return prompt;
  const cut = prompt.slice(0, maxChars);
  const space = cut.lastIndexOf(' ');
  return space > 0 ? cut.slice(0, space) : cut;
}

/** Class of the next request in a mixed run: llm with probability classMix. */
export function sampleClass(u: Uniform, classMix: number): TrafficClass {
  return u() < classMix ? 'llm' : 'image';
}
