// DATASET=path: prompts from a file, in file order. Two formats, told apart by content:
// - JSONL: one object a line with `prompt` (string) or `messages` ([{role, content}]),
//   optional `max_tokens` (whole number >= 1), and for image requests `size`
//   (512 or "512x512", square) and/or `steps` (whole numbers >= 1).
// - ShareGPT JSON: an array of {conversations: [{from, value}]}; the first human turn
//   is the prompt and the gpt reply after it gives the output length (its token count).
//   Entries without such a pair are skipped and counted.
// Every problem is reported at once (line numbers for JSONL, entry indices for ShareGPT).

import { readFileSync } from 'node:fs';
import type { Message } from './items.ts';
import { shown, throwIfProblems, WorkloadInputError } from './errors.ts';
import type { Tokenizer } from './tokenizer.ts';

export type DatasetEntry =
  /** outputTokens: from max_tokens or the ShareGPT reply; undefined = the OUTPUT_TOKENS distribution */
  | { class: 'llm'; messages: Message[]; outputTokens?: number }
  /** sizePx / steps undefined = the run's size and step mixes */
  | { class: 'image'; prompt: string; sizePx?: number; steps?: number };

export interface Dataset {
  format: 'jsonl' | 'sharegpt';
  entries: DatasetEntry[];
  /** ShareGPT entries without a human turn followed by a gpt reply */
  skipped: number;
}

const ROLES = new Set(['system', 'user', 'assistant']);
const isWhole = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;

/** Reads and validates a dataset file; throws WorkloadInputError listing every problem. */
export function readDataset(path: string, tokenizer: Tokenizer): Dataset {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new WorkloadInputError([
      `DATASET: must be a readable file, but ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    ]);
  }
  return parseDataset(text, tokenizer, `DATASET ${path}`);
}

/** Parses dataset text (`where` names it in messages). */
export function parseDataset(text: string, tokenizer: Tokenizer, where = 'DATASET'): Dataset {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '')
    throw new WorkloadInputError([`${where}: must hold at least one request, but the file is empty`]);
  return body.trimStart().startsWith('[') ? parseShareGpt(body, tokenizer, where) : parseJsonl(body, where);
}

function parseJsonl(text: string, where: string): Dataset {
  const problems: string[] = [];
  const entries: DatasetEntry[] = [];
  text.split('\n').forEach((raw, k) => {
    const line = raw.trim();
    if (line === '') return;
    const at = `${where}:${k + 1}`;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (err) {
      problems.push(`${at}: must be a JSON object, but is not JSON (${(err as Error).message})`);
      return;
    }
    const entry = jsonlEntry(row, at, problems);
    if (entry !== undefined) entries.push(entry);
  });
  throwIfProblems(problems);
  if (entries.length === 0)
    throw new WorkloadInputError([`${where}: must hold at least one request, but has only blank lines`]);
  return { format: 'jsonl', entries, skipped: 0 };
}

function jsonlEntry(row: unknown, at: string, problems: string[]): DatasetEntry | undefined {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) {
    problems.push(`${at}: must be a JSON object, but is ${shown(row)}`);
    return undefined;
  }
  const r = row as Record<string, unknown>;
  const before = problems.length;
  let messages: Message[] | undefined;
  if (typeof r.prompt === 'string' && r.prompt !== '') messages = [{ role: 'user', content: r.prompt }];
  else if (r.prompt !== undefined) problems.push(`${at}: prompt must be a non-empty string, but is ${shown(r.prompt)}`);
  else if (Array.isArray(r.messages) && r.messages.length > 0) {
    messages = [];
    r.messages.forEach((m, j) => {
      const mm = m as Record<string, unknown> | null;
      if (typeof mm !== 'object' || mm === null || !ROLES.has(String(mm.role)) || typeof mm.content !== 'string') {
        problems.push(
          `${at}: messages[${j}] must be {role: system|user|assistant, content: string}, but is ${shown(m)}`,
        );
      } else messages?.push({ role: mm.role as Message['role'], content: mm.content });
    });
  } else if (r.messages !== undefined)
    problems.push(`${at}: messages must be a non-empty array, but is ${shown(r.messages)}`);
  else problems.push(`${at}: must have prompt (string) or messages (array), but has neither`);
  if (r.max_tokens !== undefined && !isWhole(r.max_tokens))
    problems.push(`${at}: max_tokens must be a whole number >= 1, but is ${shown(r.max_tokens)}`);
  const image = r.size !== undefined || r.steps !== undefined;
  const sizePx = r.size === undefined ? undefined : squareSize(r.size);
  if (sizePx === null)
    problems.push(`${at}: size must be a whole number >= 1 or "NxN" (square), but is ${shown(r.size)}`);
  if (r.steps !== undefined && !isWhole(r.steps))
    problems.push(`${at}: steps must be a whole number >= 1, but is ${shown(r.steps)}`);
  if (image && r.messages !== undefined)
    problems.push(`${at}: an image request (size or steps) needs prompt, not messages`);
  if (problems.length > before || messages === undefined) return undefined;
  if (image)
    return {
      class: 'image',
      prompt: messages[0]?.content ?? '',
      sizePx: sizePx ?? undefined,
      steps: r.steps as number | undefined,
    };
  return { class: 'llm', messages, outputTokens: r.max_tokens as number | undefined };
}

/** 512 or "512" or "512x512" → 512; anything else (or not square) → null. */
function squareSize(v: unknown): number | null {
  if (isWhole(v)) return v;
  if (typeof v !== 'string') return null;
  const m = /^\s*([1-9]\d*)(?:\s*[xX×]\s*([1-9]\d*))?\s*$/.exec(v);
  if (!m || (m[2] !== undefined && m[2] !== m[1])) return null;
  return Number(m[1]);
}

function parseShareGpt(text: string, tokenizer: Tokenizer, where: string): Dataset {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new WorkloadInputError([
      `${where}: must be JSONL or a ShareGPT JSON array, but is not JSON (${(err as Error).message})`,
    ]);
  }
  const problems: string[] = [];
  const entries: DatasetEntry[] = [];
  let skipped = 0;
  (data as unknown[]).forEach((entry, k) => {
    const at = `${where}: entry ${k}`;
    const conv = (entry as { conversations?: unknown } | null)?.conversations;
    if (typeof entry !== 'object' || entry === null || !Array.isArray(conv)) {
      problems.push(`${at}: must be an object with a conversations array, but is ${shown(entry)}`);
      return;
    }
    const bad = conv.findIndex(
      (t) =>
        typeof (t as { from?: unknown } | null)?.from !== 'string' ||
        typeof (t as { value?: unknown }).value !== 'string',
    );
    if (bad >= 0) {
      problems.push(`${at}: conversations[${bad}] must be {from: string, value: string}, but is ${shown(conv[bad])}`);
      return;
    }
    const turns = conv as Array<{ from: string; value: string }>;
    const h = turns.findIndex((t) => t.from === 'human' || t.from === 'user');
    const reply = h >= 0 ? turns[h + 1] : undefined;
    const prompt = turns[h]?.value ?? '';
    if (
      reply === undefined ||
      (reply.from !== 'gpt' && reply.from !== 'assistant') ||
      prompt === '' ||
      reply.value === ''
    ) {
      skipped++;
      return;
    }
    entries.push({
      class: 'llm',
      messages: [{ role: 'user', content: prompt }],
      outputTokens: Math.max(1, tokenizer.encode(reply.value).length),
    });
  });
  throwIfProblems(problems);
  if (entries.length === 0)
    throw new WorkloadInputError([
      `${where}: must hold at least one human turn followed by a gpt reply, but none of ${(data as unknown[]).length} entries does`,
    ]);
  return { format: 'sharegpt', entries, skipped };
}
