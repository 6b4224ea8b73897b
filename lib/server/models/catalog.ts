// The models the reference server offers: two families (tiny-sd, tiny-llm) at
// three precisions (fp32, int8, fp16) of the SAME weights (same seed, same call
// order; int8 quantises them at build time, fp16 rounds the fp32 graph's
// weights, float16.ts). fp16 pays on a GPU provider; ONNX Runtime's CPU
// provider runs it with casts around nodes lacking fp16 kernels, slower than fp32.
import type { ModelCard, Precision } from '../engine/types.ts';
import { Random, deriveSeed } from '../pipelines/random.ts';
import { toFloat16 } from './float16.ts';
import { encodeModel, Graph } from './graph.ts';
import type { Ctx } from './layers.ts';
import { buildLlm } from './llm.ts';
import { presets, type SizePreset } from './presets.ts';
import { buildTextEncoder } from './text-encoder.ts';
import { buildDenoiser } from './denoiser.ts';
import { buildVaeDecoder } from './vae-decoder.ts';

export type Family = 'tiny-sd' | 'tiny-llm';
export const families: readonly Family[] = ['tiny-sd', 'tiny-llm'];
export const buildPrecisions: readonly Precision[] = ['fp32', 'int8', 'fp16'];

/** graphs per family; an engine loads one session per graph */
export const graphNames = { 'tiny-sd': ['text_encoder', 'denoiser', 'vae_decoder'], 'tiny-llm': ['decoder'] } as const;
export type GraphName = (typeof graphNames)[Family][number];

export const DEFAULT_SEED = 20240601;

export interface ModelSpec {
  readonly id: string;
  readonly family: Family;
  readonly precision: Precision;
  readonly preset: SizePreset;
  readonly seed: number;
}

export function modelSpec(family: Family, precision: Precision, preset: SizePreset, seed = DEFAULT_SEED): ModelSpec {
  return { id: `${family}-${precision}`, family, precision, preset, seed };
}

export function modelCard(spec: ModelSpec): ModelCard {
  const sizes = presets[spec.preset];
  const { precision } = spec;
  if (spec.family === 'tiny-llm')
    return { id: spec.id, kind: 'llm', precision, contextTokens: sizes.llm.contextTokens };
  const d = sizes.diffusion;
  return {
    id: spec.id,
    kind: 'diffusion',
    precision,
    imageSizes: d.imageSizes,
    defaultSteps: d.defaultSteps,
    maxSteps: d.maxSteps,
  };
}

/** the ONNX bytes of one graph of a model: a pure function of the spec */
export function buildGraph(spec: ModelSpec, graph: GraphName): Uint8Array {
  const g = new Graph(`${spec.id}-${graph}`);
  // fp16 is built as fp32 (same weight stream), then converted
  const c: Ctx = {
    g,
    rng: new Random(deriveSeed(spec.seed, `${spec.family}/${graph}`)),
    precision: spec.precision === 'int8' ? 'int8' : 'fp32',
  };
  const sizes = presets[spec.preset];
  if (graph === 'decoder') buildLlm(c, sizes.llm);
  else if (graph === 'text_encoder') buildTextEncoder(c, sizes.diffusion);
  else if (graph === 'denoiser') buildDenoiser(c, sizes.diffusion);
  else buildVaeDecoder(c, sizes.diffusion);
  const model = g.toModel(`genload ${spec.id} ${graph}, preset ${spec.preset}, seed ${spec.seed}`);
  return encodeModel(spec.precision === 'fp16' ? toFloat16(model) : model);
}
