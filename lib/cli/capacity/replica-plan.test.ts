import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replicaPlan, checkPlanInput, describePlan, type PlanInput } from './replica-plan.ts';

const base: PlanInput = {
  sustainableRps: 10,
  outputTokensPerRequest: 100,
  imagesPerRequest: 0,
  peakRps: 45,
  headroomRatio: 0.2,
  pricePerHour: 2.5,
  unitsPerReplica: 1,
  currency: 'USD',
};

const close = (a: number | null, b: number, what: string) =>
  assert.ok(a !== null && Math.abs(a - b) < 1e-9 * Math.max(1, b), `${what}: ${a} != ${b}`);

test('replicas: peak over usable rate, rounded up', () => {
  const table: Array<[Partial<PlanInput>, number]> = [
    [{}, 6], // 45 / 8 = 5.6
    [{ headroomRatio: 0 }, 5], // 45 / 10 = 4.5
    [{ peakRps: 40, headroomRatio: 0.2 }, 5], // exactly 5: no extra replica from float error
    [{ peakRps: 1 }, 1],
  ];
  for (const [over, want] of table)
    assert.equal(replicaPlan({ ...base, ...over }).replicas, want, JSON.stringify(over));
});

test('costs at the sustainable rate', () => {
  const p = replicaPlan(base);
  close(p.costPer1kRequests, (2.5 / 36000) * 1000, 'per 1k requests');
  close(p.costPerMillionOutputTokens, (2.5 / (1000 * 3600)) * 1e6, 'per million tokens');
  assert.equal(p.costPer1kImages, null); // no images in LLM traffic
  close(p.fleetCostPerHour, 6 * 2.5, 'fleet');
  close(p.outputTokensPerSecond, 1000, 'tokens/s');
  close(p.peakUtilization, 45 / 60, 'utilization');
});

test('images and multi-GPU replicas', () => {
  const p = replicaPlan({
    ...base,
    sustainableRps: 0.5,
    outputTokensPerRequest: 0,
    imagesPerRequest: 2,
    unitsPerReplica: 4,
    peakRps: null,
  });
  close(p.imagesPerSecond, 1, 'images/s');
  close(p.pricePerReplicaHour, 10, 'replica price');
  close(p.costPer1kImages, (10 / 3600) * 1000, 'per 1k images');
  assert.equal(p.replicas, null);
  assert.equal(p.fleetCostPerHour, null);
  assert.equal(p.costPerMillionOutputTokens, null);
});

test('no price: no costs, still throughput', () => {
  const p = replicaPlan({ ...base, pricePerHour: null });
  assert.equal(p.costPer1kRequests, null);
  assert.equal(p.fleetCostPerHour, null);
  assert.equal(describePlan(p).length, 2);
});

test('bad inputs are all reported', () => {
  const problems = checkPlanInput({ ...base, sustainableRps: 0, headroomRatio: 1, peakRps: -1 });
  assert.equal(problems.length, 3);
  assert.throws(() => replicaPlan({ ...base, sustainableRps: 0 }), /sustainableRps: must be greater than 0, but is 0/);
});

test('describePlan names replicas and costs', () => {
  const text = describePlan(replicaPlan(base)).join('\n');
  assert.match(text, /6 replicas/);
  assert.match(text, /15.00 USD\/h/);
});
