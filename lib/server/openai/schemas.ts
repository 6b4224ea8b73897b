// JSON schemas of the OpenAI-compatible request bodies, built from the
// config's limits. Fastify validates them before a handler runs, with type
// coercion off (a null or "4" is rejected, never turned into 0 or 4). Unknown
// properties are allowed, as OpenAI clients send fields this server ignores.
// Model-dependent rules (size, steps, context window) are checked by the handlers.
import type { ServerConfig } from '../config/schema.ts';

type Limits = ServerConfig['limits'];
const uint32 = { type: 'integer', minimum: 0, maximum: 4294967295 } as const;

export function imageBodySchema(limits: Limits) {
  return {
    type: 'object',
    required: ['prompt'],
    properties: {
      prompt: { type: 'string', minLength: 1, maxLength: limits.maxPromptChars },
      negative_prompt: { type: 'string', maxLength: limits.maxPromptChars },
      model: { type: 'string', minLength: 1 },
      n: { type: 'integer', minimum: 1, maximum: limits.maxImagesPerRequest },
      size: { type: 'string', pattern: '^[0-9]{1,5}x[0-9]{1,5}$' },
      steps: { type: 'integer', minimum: 1, maximum: 1000 },
      guidance_scale: { type: 'number', minimum: 0, maximum: 50 },
      seed: uint32,
      response_format: { type: 'string', enum: ['b64_json', 'url'] },
    },
  } as const;
}

function samplingProperties(limits: Limits) {
  return {
    model: { type: 'string', minLength: 1 },
    max_tokens: { type: 'integer', minimum: 1, maximum: limits.maxTokens },
    temperature: { type: 'number', minimum: 0, maximum: 2 },
    top_p: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
    seed: uint32,
    n: { type: 'integer', minimum: 1, maximum: 1 },
    stop: {
      anyOf: [
        { type: 'string', maxLength: 256 },
        { type: 'array', maxItems: 4, items: { type: 'string', maxLength: 256 } },
      ],
    },
    stream: { type: 'boolean' },
    stream_options: { type: 'object', properties: { include_usage: { type: 'boolean' } } },
  } as const;
}

export function completionBodySchema(limits: Limits) {
  return {
    type: 'object',
    required: ['prompt'],
    properties: { ...samplingProperties(limits), prompt: { type: 'string', maxLength: limits.maxPromptChars } },
  } as const;
}

export function chatBodySchema(limits: Limits) {
  const text = { type: 'string', maxLength: limits.maxPromptChars } as const;
  return {
    type: 'object',
    required: ['messages'],
    properties: {
      ...samplingProperties(limits),
      max_completion_tokens: { type: 'integer', minimum: 1, maximum: limits.maxTokens },
      messages: {
        type: 'array',
        minItems: 1,
        maxItems: 256,
        items: {
          type: 'object',
          required: ['role', 'content'],
          properties: {
            role: { type: 'string', enum: ['system', 'developer', 'user', 'assistant', 'tool'] },
            content: {
              anyOf: [
                text,
                {
                  type: 'array',
                  maxItems: 64,
                  items: { type: 'object', required: ['type', 'text'], properties: { type: { const: 'text' }, text } },
                },
              ],
            },
          },
        },
      },
    },
  } as const;
}

export function jobBodySchema(limits: Limits) {
  return {
    type: 'object',
    required: ['kind', 'request'],
    properties: {
      kind: { type: 'string', enum: ['image', 'completion'] },
      request: { type: 'object' },
      webhook_url: { type: 'string', minLength: 1, maxLength: 2048 },
    },
    allOf: [
      { if: { properties: { kind: { const: 'image' } } }, then: { properties: { request: imageBodySchema(limits) } } },
      {
        if: { properties: { kind: { const: 'completion' } } },
        then: { properties: { request: completionBodySchema(limits) } },
      },
    ],
  } as const;
}

export interface ImageBody {
  prompt: string;
  negative_prompt?: string;
  model?: string;
  n?: number;
  size?: string;
  steps?: number;
  guidance_scale?: number;
  seed?: number;
  response_format?: 'b64_json' | 'url';
}

export interface SamplingBody {
  model?: string;
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  seed?: number;
  stop?: string | string[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
}

export interface CompletionBody extends SamplingBody {
  prompt: string;
}

export interface ChatMessage {
  role: string;
  content: string | { type: 'text'; text: string }[];
}

export interface ChatBody extends SamplingBody {
  messages: ChatMessage[];
  max_completion_tokens?: number;
}

export interface JobBody {
  kind: 'image' | 'completion';
  request: ImageBody | CompletionBody;
  webhook_url?: string;
}
