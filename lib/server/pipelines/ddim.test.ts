import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alphasCumprod, cfgCombine, ddimStep, ddimTimesteps } from './ddim.ts';
import { Random } from './random.ts';

test('alphas_cumprod matches Stable Diffusion endpoints', () => {
  const acp = alphasCumprod();
  assert.ok(Math.abs(acp[0]! - (1 - 0.00085)) < 1e-9);
  assert.ok(Math.abs(acp[999]! - 0.00466) < 1e-5, `acp[999] = ${acp[999]}`);
  for (let t = 1; t < 1000; t++) assert.ok(acp[t]! < acp[t - 1]!);
});

test('timesteps: leading spacing with offset 1, noisiest first', () => {
  assert.deepEqual(ddimTimesteps(4), [751, 501, 251, 1]);
  assert.deepEqual(ddimTimesteps(10).slice(0, 3), [901, 801, 701]);
  assert.equal(ddimTimesteps(50).length, 50);
});

test('a perfect noise prediction recovers the clean sample after all steps', () => {
  const rng = new Random(3);
  const clean = rng.gaussianArray(64, 0.5);
  const noise = rng.gaussianArray(64);
  const acp = alphasCumprod();
  const steps = 5;
  const [first] = ddimTimesteps(steps);
  const x = clean.map((c, i) => Math.sqrt(acp[first!]!) * c + Math.sqrt(1 - acp[first!]!) * noise[i]!);
  for (const t of ddimTimesteps(steps)) ddimStep(x, noise, t, steps);
  // the last step lands on ᾱ_0 ≈ 0.99915, so x ≈ √ᾱ_0·clean + √(1−ᾱ_0)·noise
  const a0 = acp[0]!;
  for (let i = 0; i < x.length; i++)
    assert.ok(Math.abs(x[i]! - (Math.sqrt(a0) * clean[i]! + Math.sqrt(1 - a0) * noise[i]!)) < 1e-4);
});

test('cfg combine: scale 1 is the conditional, scale 0 the unconditional', () => {
  const cond = Float32Array.of(1, 2, 3);
  const uncond = Float32Array.of(0, 0, 1);
  assert.deepEqual(Array.from(cfgCombine(cond, uncond, 1, new Float32Array(3))), [1, 2, 3]);
  assert.deepEqual(Array.from(cfgCombine(cond, uncond, 0, new Float32Array(3))), [0, 0, 1]);
  assert.deepEqual(Array.from(cfgCombine(cond, uncond, 7.5, new Float32Array(3))), [7.5, 15, 16]);
});
