// The regression gate's decision, pure: checks of a candidate against a
// baseline, each failing only when the regression is beyond its tolerance AND
// has statistical support, so noise passes.
//   P95 latency    relative P95 change > p95Tolerance, and the seeded block-
//                  bootstrap interval of that change (time-ordered samples
//                  resampled in blocks: queueing makes them dependent) lies
//                  wholly above zero. A ramp-like run (ramp, breakpoint,
//                  concurrency) is judged per step both runs reached, never on
//                  a P95 pooled over steps (a candidate aborting a step earlier
//                  would drop its slowest step and look faster)
//   highest pass   ramp-like runs: the candidate's highest passing rate (or
//                  concurrency) below the baseline's is a regression; the
//                  ramp's steps are its resolution, so one step lower fails
//   error rate     (cand - base) > errorRateTolerance (absolute), and a one-sided
//                  two-proportion z test gives p < alpha
//   sustainable    drop > sustainableTolerance (relative) and larger than the
//                  capacity search's resolution; skipped when a side has no search

import { affordableResamples, blockBootstrapShift, STATISTIC } from '../../shared/stats/bootstrap.ts';
import { twoProportionTest } from '../../shared/stats/proportion-test.ts';
import type { GateBaseline } from './baseline.ts';

export interface GateTolerances {
  /** 0.10: P95 may grow by 10 % */
  p95Tolerance: number;
  /** 0.01: the error rate may grow by 1 percentage point */
  errorRateTolerance: number;
  /** 0.10: the sustainable rate may drop by 10 % */
  sustainableTolerance: number;
  alpha: number;
  seed: number;
  /** fewest latency samples per side for the P95 check to judge */
  minSamples: number;
}

export const DEFAULT_TOLERANCES: GateTolerances = {
  p95Tolerance: 0.1,
  errorRateTolerance: 0.01,
  sustainableTolerance: 0.1,
  alpha: 0.05,
  seed: 1,
  minSamples: 20,
};

export interface GateCheck {
  name: 'p95-latency' | 'error-rate' | 'sustainable-rate' | 'highest-passing-rate' | 'highest-passing-concurrency';
  /** the ramp step a per-step check judged */
  stage?: string;
  status: 'pass' | 'regression' | 'skipped';
  baseline: number | null;
  candidate: number | null;
  /** relative change for latency and rate, absolute for error rate */
  change: number | null;
  tolerance: number;
  /** the statistical evidence, in words */
  evidence: string;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

export function checkP95(
  base: readonly number[],
  cand: readonly number[],
  t: GateTolerances,
  stage?: string,
): GateCheck {
  const out: GateCheck = {
    name: 'p95-latency',
    ...(stage !== undefined ? { stage } : {}),
    status: 'skipped',
    baseline: null,
    candidate: null,
    change: null,
    tolerance: t.p95Tolerance,
    evidence: '',
  };
  if (base.length < t.minSamples || cand.length < t.minSamples) {
    out.evidence = `needs ${t.minSamples} latency samples per side, has ${base.length} / ${cand.length}`;
    return out;
  }
  const [e] = blockBootstrapShift(base, cand, [STATISTIC.percentile(95)], {
    seed: t.seed,
    confidence: 1 - t.alpha,
    resamples: affordableResamples(base.length + cand.length),
  });
  Object.assign(out, { baseline: e!.base, candidate: e!.cand, change: e!.relative });
  const regressed = e!.relative > t.p95Tolerance && e!.relativeLow > 0;
  out.status = regressed ? 'regression' : 'pass';
  out.evidence = `${stage !== undefined ? `${stage}: ` : ''}P95 ${pct(e!.relative)}, ${Math.round((1 - t.alpha) * 100)} % block-bootstrap interval ${pct(e!.relativeLow)} … ${pct(e!.relativeHigh)} (n ${base.length} / ${cand.length}, blocks ${e!.blocks.base} / ${e!.blocks.cand})`;
  return out;
}

export function checkErrorRate(base: GateBaseline, cand: GateBaseline, t: GateTolerances): GateCheck {
  const out: GateCheck = {
    name: 'error-rate',
    status: 'skipped',
    baseline: null,
    candidate: null,
    change: null,
    tolerance: t.errorRateTolerance,
    evidence: '',
  };
  if (base.requests === 0 || cand.requests === 0) {
    out.evidence = `no requests measured (${base.requests} / ${cand.requests})`;
    return out;
  }
  const r = twoProportionTest(base.failures, base.requests, cand.failures, cand.requests);
  Object.assign(out, { baseline: r.baseRate, candidate: r.candRate, change: r.candRate - r.baseRate });
  out.status = r.candRate - r.baseRate > t.errorRateTolerance && r.pHigher < t.alpha ? 'regression' : 'pass';
  out.evidence = `${base.failures}/${base.requests} vs ${cand.failures}/${cand.requests}, one-sided p ${r.pHigher < 0.001 ? '<0.001' : r.pHigher.toFixed(3)}`;
  return out;
}

export function checkSustainable(base: GateBaseline, cand: GateBaseline, t: GateTolerances): GateCheck {
  const out: GateCheck = {
    name: 'sustainable-rate',
    status: 'skipped',
    baseline: base.sustainableRps,
    candidate: cand.sustainableRps,
    change: null,
    tolerance: t.sustainableTolerance,
    evidence: '',
  };
  if (base.sustainableRps === null || cand.sustainableRps === null || base.sustainableRps <= 0) {
    out.evidence = 'needs a capacity search (capacity.json) in both runs';
    return out;
  }
  const drop = base.sustainableRps - cand.sustainableRps;
  const resolution = Math.max(base.searchResolutionRps ?? 0, cand.searchResolutionRps ?? 0);
  out.change = -drop / base.sustainableRps;
  out.status = drop / base.sustainableRps > t.sustainableTolerance && drop > resolution ? 'regression' : 'pass';
  out.evidence = `${base.sustainableRps} → ${cand.sustainableRps} rps (${pct(out.change)}); search resolution ${resolution} rps`;
  return out;
}

/** A ramp-like run's highest passing rate (or concurrency): any drop is a regression (the steps are the resolution). */
export function checkHighestPassing(
  base: NonNullable<GateBaseline['search']>,
  cand: NonNullable<GateBaseline['search']>,
): GateCheck {
  const unit = base.highestPassing?.unit ?? cand.highestPassing?.unit ?? 'rps';
  const out: GateCheck = {
    name: unit === 'VUs' ? 'highest-passing-concurrency' : 'highest-passing-rate',
    status: 'pass',
    baseline: base.highestPassing?.value ?? null,
    candidate: cand.highestPassing?.value ?? null,
    change: null,
    tolerance: 0,
    evidence: '',
  };
  const words = (v: number | null): string => (v === null ? 'no step' : `${v} ${unit === 'VUs' ? 'VUs' : 'rps'}`);
  if (out.baseline === null) {
    out.status = 'skipped';
    out.evidence = 'the baseline passed no step: nothing to hold the candidate to';
    return out;
  }
  if (
    base.highestPassing?.unit !== undefined &&
    cand.highestPassing?.unit !== undefined &&
    base.highestPassing.unit !== cand.highestPassing.unit
  ) {
    out.status = 'skipped';
    out.evidence = `the runs step different quantities (${base.highestPassing.unit} vs ${cand.highestPassing.unit})`;
    return out;
  }
  const c = out.candidate ?? 0;
  out.change = (c - out.baseline) / out.baseline;
  out.status = c < out.baseline - 1e-9 ? 'regression' : 'pass';
  const failedAt = cand.steps.find((s) => s.verdict === 'fail');
  out.evidence = `passes up to ${words(out.candidate)} vs ${words(out.baseline)}${failedAt !== undefined ? `; the candidate first failed at ${failedAt.stage}` : ''}`;
  return out;
}

export interface GateDecision {
  passed: boolean;
  checks: GateCheck[];
}

export function decideGate(
  base: GateBaseline,
  cand: GateBaseline,
  tolerances: Partial<GateTolerances> = {},
): GateDecision {
  const t = { ...DEFAULT_TOLERANCES, ...tolerances };
  const checks: GateCheck[] = [];
  if (base.search !== undefined && cand.search !== undefined) {
    checks.push(checkHighestPassing(base.search, cand.search));
    // per step both runs reached: latency judged at the same offered load
    for (const b of base.search.steps) {
      const c = cand.search.steps.find((s) => s.stage === b.stage);
      if (c === undefined || b.verdict === 'not reached' || c.verdict === 'not reached') continue;
      checks.push(checkP95(b.latenciesMs, c.latenciesMs, t, b.stage));
    }
  } else checks.push(checkP95(base.latenciesMs, cand.latenciesMs, t));
  checks.push(checkErrorRate(base, cand, t), checkSustainable(base, cand, t));
  return { passed: checks.every((c) => c.status !== 'regression'), checks };
}

export function renderGateMarkdown(d: GateDecision, baseId: string, candId: string): string {
  const l = [
    `## genload gate: ${d.passed ? '✅ passed' : '❌ regression'}`,
    '',
    `Baseline \`${baseId}\` → candidate \`${candId}\`. A check fails only beyond its tolerance and with statistical support.`,
    '',
    '| check | result | baseline | candidate | change | tolerance | evidence |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const c of d.checks) {
    const fmt = (v: number | null): string =>
      v === null ? 'n/a' : c.name === 'error-rate' ? pct(v) : v.toFixed(c.name === 'p95-latency' ? 1 : 2);
    const name = c.stage !== undefined ? `${c.name} ${c.stage}` : c.name;
    const change =
      c.change === null
        ? 'n/a'
        : c.name === 'error-rate'
          ? `${c.change >= 0 ? '+' : ''}${(c.change * 100).toFixed(2)} pp`
          : `${c.change >= 0 ? '+' : ''}${pct(c.change)}`;
    const tol =
      c.name === 'error-rate'
        ? `+${(c.tolerance * 100).toFixed(1)} pp`
        : c.name === 'sustainable-rate'
          ? `-${pct(c.tolerance)}`
          : c.name.startsWith('highest-passing')
            ? 'no lower step'
            : `+${pct(c.tolerance)}`;
    l.push(
      `| ${name} | ${c.status === 'regression' ? '❌ regression' : c.status === 'pass' ? '✅ pass' : '➖ skipped'} | ${fmt(c.baseline)} | ${fmt(c.candidate)} | ${change} | ${tol} | ${c.evidence} |`,
    );
  }
  return `${l.join('\n')}\n`;
}
