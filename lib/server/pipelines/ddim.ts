// DDIM scheduler (deterministic, eta = 0) with Stable Diffusion's training
// schedule: 1000 steps, "scaled linear" betas from 0.00085 to 0.012, "leading"
// timestep spacing with offset 1, final alpha = alphas_cumprod[0].
// Pure math on Float32Arrays; the denoiser predicts ε (the noise).

export const TRAIN_STEPS = 1000;
const BETA_START = 0.00085;
const BETA_END = 0.012;

/** ᾱ_t = Π (1 − β_s) for s ≤ t */
export function alphasCumprod(trainSteps = TRAIN_STEPS): Float64Array {
  const out = new Float64Array(trainSteps);
  let prod = 1;
  const a = Math.sqrt(BETA_START);
  const b = Math.sqrt(BETA_END);
  for (let t = 0; t < trainSteps; t++) {
    const beta = (a + ((b - a) * t) / (trainSteps - 1)) ** 2;
    prod *= 1 - beta;
    out[t] = prod;
  }
  return out;
}

const ACP = alphasCumprod();

/** the training timesteps visited by `steps` inference steps, from noisiest to cleanest */
export function ddimTimesteps(steps: number, trainSteps = TRAIN_STEPS): number[] {
  const ratio = Math.floor(trainSteps / steps);
  return Array.from({ length: steps }, (_, i) => (steps - 1 - i) * ratio + 1);
}

/**
 * One DDIM update from timestep t to t − ratio, in place on `latent`:
 *   x0 = (x − √(1−ᾱ_t)·ε) / √ᾱ_t ;  x_prev = √ᾱ_prev·x0 + √(1−ᾱ_prev)·ε
 */
export function ddimStep(
  latent: Float32Array,
  eps: Float32Array,
  t: number,
  steps: number,
  trainSteps = TRAIN_STEPS,
): void {
  const acp = trainSteps === TRAIN_STEPS ? ACP : alphasCumprod(trainSteps);
  const prevT = t - Math.floor(trainSteps / steps);
  const at = acp[t]!;
  const aPrev = prevT >= 0 ? acp[prevT]! : acp[0]!;
  const sa = Math.sqrt(at);
  const s1a = Math.sqrt(1 - at);
  const sp = Math.sqrt(aPrev);
  const s1p = Math.sqrt(1 - aPrev);
  for (let i = 0; i < latent.length; i++) {
    const e = eps[i]!;
    const x0 = (latent[i]! - s1a * e) / sa;
    latent[i] = sp * x0 + s1p * e;
  }
}

/** classifier-free guidance: ε = ε_u + scale·(ε_c − ε_u), written to `out` */
export function cfgCombine(cond: Float32Array, uncond: Float32Array, scale: number, out: Float32Array): Float32Array {
  for (let i = 0; i < out.length; i++) out[i] = uncond[i]! + scale * (cond[i]! - uncond[i]!);
  return out;
}
