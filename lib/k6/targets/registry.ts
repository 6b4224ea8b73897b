// One target module per API, chosen by config.target.api. Adding an API is one
// file and one line here (the Record type makes a missing line a type error).
import type { TargetApi } from '../../shared/run-config.ts';
import { genericJsonTarget } from './generic-json.ts';
import { kserveV2Target } from './kserve-v2.ts';
import { openAiChatTarget } from './openai-chat.ts';
import { openAiCompletionsTarget } from './openai-completions.ts';
import { openAiImagesTarget } from './openai-images.ts';
import { referenceTarget } from './reference.ts';
import { tgiTarget } from './tgi.ts';
import type { Target } from './types.ts';

export const TARGETS: Readonly<Record<TargetApi, Target>> = {
  reference: referenceTarget,
  'openai-chat': openAiChatTarget,
  'openai-completions': openAiCompletionsTarget,
  'openai-images': openAiImagesTarget,
  tgi: tgiTarget,
  'kserve-v2': kserveV2Target,
  'generic-json': genericJsonTarget,
};

export function targetFor(api: string): Target {
  const t = (TARGETS as Record<string, Target | undefined>)[api];
  if (t === undefined) throw new Error(`target.api: must be one of ${Object.keys(TARGETS).join(', ')}, but is '${api}'`);
  return t;
}
