// The compare-plan's requests as k6 sent them, read back from the run's
// workload.jsonl (its `compare` block: one line per prompt), with streaming
// turned off so the whole answer is the output; and an answer as an output
// file. Pure apart from reading the file.

import { readFileSync } from 'node:fs';
import type { TargetApi } from '../../shared/run-config.ts';
import { APIS, routePath } from '../../shared/targets/apis.ts';
import type { WorkloadLine } from '../../shared/workload/contract.ts';
import { parseRecord } from '../run-folder/records.ts';
import { workloadHeaderSchema } from '../run-folder/workload-header.ts';

/** APIs whose answers capture reads (an image's b64_json, a choice's text). */
export const CAPTURE_APIS: readonly TargetApi[] = ['reference', 'openai-chat', 'openai-completions', 'openai-images'];

export interface PlanRequest {
  promptIndex: number;
  class: 'llm' | 'image';
  path: string;
  body: string;
  seed: number;
  prompt: string;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The prompt text of a body: the last user message, the prompt field, or ''. */
function promptOf(body: Record<string, unknown>): string {
  if (typeof body['prompt'] === 'string') return body['prompt'];
  const messages = Array.isArray(body['messages']) ? body['messages'] : [];
  const last = messages[messages.length - 1];
  return isObject(last) && typeof last['content'] === 'string' ? last['content'] : '';
}

/** The plan's requests from a compare-plan workload file, in prompt order, each not streamed. */
export function planRequests(workloadPath: string, api: TargetApi): PlanRequest[] {
  if (!CAPTURE_APIS.includes(api))
    throw new Error(`target.api: output capture supports ${CAPTURE_APIS.join(', ')}, but is '${api}'`);
  const lines = readFileSync(workloadPath, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const header = parseRecord(`${workloadPath} (header)`, workloadHeaderSchema, JSON.parse(lines[0] ?? '{}'));
  const block = header.phases.find((b) => b.name === 'compare');
  if (block === undefined) throw new Error(`${workloadPath}: has no compare block`);
  const out: PlanRequest[] = [];
  for (let k = 0; k < block.count; k++) {
    const line = JSON.parse(lines[1 + block.from + k] ?? '{}') as WorkloadLine;
    const body = JSON.parse(line.body) as Record<string, unknown>;
    delete body['stream_options'];
    if (body['stream'] !== undefined) body['stream'] = false;
    const route = APIS[api].routes[line.class];
    if (route === undefined) throw new Error(`target.api: '${api}' has no ${line.class} route`);
    out.push({
      promptIndex: k,
      class: line.class,
      path: routePath(route, undefined, '/'),
      body: JSON.stringify(body),
      seed: typeof body['seed'] === 'number' ? body['seed'] : 0,
      prompt: promptOf(body),
    });
  }
  return out;
}

export interface OutputFile {
  /** file extension without the dot: png or txt */
  ext: 'png' | 'txt';
  content: Uint8Array | string;
}

/** The output of an answer: the first image (b64_json, decoded) or the first choice's text; a string says why there is none. */
export function outputOf(cls: 'llm' | 'image', answer: unknown): OutputFile | string {
  if (!isObject(answer)) return 'answer is not a JSON object';
  if (cls === 'image') {
    const first = Array.isArray(answer['data']) ? answer['data'][0] : undefined;
    const b64 = isObject(first) ? first['b64_json'] : undefined;
    if (typeof b64 !== 'string' || b64 === '') return 'answer has no data[0].b64_json';
    return { ext: 'png', content: Buffer.from(b64, 'base64') };
  }
  const choice = Array.isArray(answer['choices']) ? answer['choices'][0] : undefined;
  if (!isObject(choice)) return 'answer has no choices[0]';
  const message = choice['message'];
  const text = isObject(message) ? message['content'] : choice['text'];
  if (typeof text !== 'string') return 'answer has no choices[0].message.content or choices[0].text';
  return { ext: 'txt', content: text };
}
