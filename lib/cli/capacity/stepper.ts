// The level search as a pure stepper: given every step judged so far, say
// which level to run next, or that the search is done and what it found. A
// level is an arrival rate in requests/s (open model) or a number of
// concurrent requests (closed model, LOAD_MODEL=closed); the config's `levels`
// says which, and names its bounds accordingly. It knows nothing of k6, SLOs
// or files: a step arrives as a verdict (from acceptance.ts) plus the
// throughput the target achieved.
//
// Shape of a search:
//   ceiling    with a measured throughput ceiling (open model: the throughput
//              probe, search.ts) the first step goes just under it and the
//              next just above it, by the tolerance: a target whose SLO holds
//              up to its ceiling is bracketed in two steps; passes above the
//              ceiling gallop upwards (tolerance × 1, 2, 4, ...)
//   probe      without a ceiling: one step at the start level
//   bracket    doubling until a step fails (or the maximum passes)
//   descend    while nothing has passed: halving, or after narrow failures
//              under a measured ceiling a stride of tolerance × 1, 2, 4, ...
//   saturation a failed step whose target completed less than offered tells
//              where the ceiling is (the sustainable rate cannot exceed the
//              throughput the target achieved), so the next probe goes there
//   bisect     between the highest pass and the lowest failure until the
//              interval is narrower than toleranceRatio
//   confirm    repeat the highest pass (a pass that does not repeat is not a
//              pass) and, when it failed narrowly, the lowest failure
// A level counts as passed only when every run of it passed; invalid steps are
// never passes.

export type Verdict = 'pass' | 'fail' | 'invalid';

export interface StepOutcome {
  /** the step's level: requests/s (open model) or concurrent requests (closed), as the config's levels say */
  level: number;
  verdict: Verdict;
  /** responses per second the target completed in the measurement window */
  achievedRps: number;
  /** the target could not keep up (completed clearly less than offered, or its queue grew) */
  saturated: boolean;
  /** failed by a wide margin: repeating it would not change the verdict */
  decisive: boolean;
}

/** Open model: the search varies an arrival rate. */
export interface RateLevels {
  kind: 'rate';
  startRps: number;
  /** lowest rate worth trying; nothing passing down to it means "no sustainable rate at or above minRps" */
  minRps: number;
  /** highest rate the search may offer */
  maxRps: number;
}

/** Closed model (LOAD_MODEL=closed): the search varies a number of concurrent requests, whole numbers from 1. */
export interface ConcurrencyLevels {
  kind: 'concurrency';
  startConcurrency: number;
  minConcurrency: number;
  maxConcurrency: number;
}

export interface StepperConfig {
  levels: RateLevels | ConcurrencyLevels;
  /** bisection stops when (lowest fail - highest pass) / highest pass <= this */
  toleranceRatio: number;
  /** hard cap on the number of steps */
  maxSteps: number;
  /** extra passing runs the highest pass needs (1: it must pass twice) */
  confirmRepeats: number;
}

export type StepPurpose =
  | 'throughput-probe'
  | 'ceiling'
  | 'probe'
  | 'bracket'
  | 'descend'
  | 'saturation'
  | 'bisect'
  | 'confirm-pass'
  | 'confirm-fail';

export type SearchStatus = 'found' | 'none' | 'above-max' | 'incomplete';

interface ResultCommon {
  status: SearchStatus;
  /** some level gave different verdicts on different runs */
  noisy: boolean;
  steps: number;
  message: string;
}

/** Open model: the answer is an arrival rate. */
export interface RateResult extends ResultCommon {
  /** highest confirmed passing rate, or null */
  sustainableRps: number | null;
  /** [highest confirmed pass, lowest failing rate]; null where no such step exists */
  interval: { lowRps: number | null; highRps: number | null };
  /** lowest rate any step offered */
  lowestProbedRps: number;
}

/** Closed model (LOAD_MODEL=closed): the answer is a number of concurrent requests. */
export interface ConcurrencyResult extends ResultCommon {
  sustainableConcurrency: number | null;
  interval: { lowConcurrency: number | null; highConcurrency: number | null };
  lowestProbedConcurrency: number;
}

export type SearchResult = RateResult | ConcurrencyResult;

/** A result's levels as plain numbers in its own unit (rps or concurrent requests), for code that serves both. */
export function resultLevels(r: SearchResult): {
  sustainable: number | null;
  low: number | null;
  high: number | null;
  lowestProbed: number;
} {
  return 'sustainableRps' in r
    ? {
        sustainable: r.sustainableRps,
        low: r.interval.lowRps,
        high: r.interval.highRps,
        lowestProbed: r.lowestProbedRps,
      }
    : {
        sustainable: r.sustainableConcurrency,
        low: r.interval.lowConcurrency,
        high: r.interval.highConcurrency,
        lowestProbed: r.lowestProbedConcurrency,
      };
}

export interface NextStep {
  done: false;
  /** in the config's level unit (requests/s or concurrent requests) */
  level: number;
  purpose: StepPurpose;
}

export type Next = NextStep | { done: true; result: SearchResult };

/** What the search knows before its first level step: the throughput ceiling a probe measured, requests/s. */
export interface SearchPrior {
  ceilingRps: number | null;
}

interface LevelGroup {
  level: number;
  runs: StepOutcome[];
  passed: boolean;
}

/** The config's bounds as plain numbers in its own unit, and how levels round. */
export function levelBounds(cfg: Pick<StepperConfig, 'levels'>): {
  start: number;
  min: number;
  max: number;
  whole: boolean;
} {
  const l = cfg.levels;
  return l.kind === 'rate'
    ? { start: l.startRps, min: l.minRps, max: l.maxRps, whole: false }
    : { start: l.startConcurrency, min: l.minConcurrency, max: l.maxConcurrency, whole: true };
}

/** Three significant digits: rates people can read and k6 can schedule (0.001 rps resolution). */
export function roundRate(rps: number): number {
  if (rps <= 0.001) return 0.001;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(rps)));
  return Number(rps.toFixed(Math.min(3, digits)));
}

/** A level the search can run: whole numbers of concurrent requests, or a rate of three significant digits. */
export function roundLevel(x: number, cfg: Pick<StepperConfig, 'levels'>): number {
  return cfg.levels.kind === 'concurrency' ? Math.max(1, Math.round(x)) : roundRate(x);
}

function group(history: readonly StepOutcome[]): LevelGroup[] {
  const byLevel = new Map<number, StepOutcome[]>();
  for (const s of history) byLevel.set(s.level, [...(byLevel.get(s.level) ?? []), s]);
  return [...byLevel.entries()]
    .map(([level, runs]) => ({ level, runs, passed: runs.every((r) => r.verdict === 'pass') }))
    .sort((a, b) => a.level - b.level);
}

/** The current evidence: lowest failure, highest pass below it, confirmed pass. */
function evidence(history: readonly StepOutcome[], cfg: StepperConfig) {
  const groups = group(history);
  const lowFail = groups.find((g) => !g.passed);
  const below = groups.filter((g) => g.passed && (lowFail === undefined || g.level < lowFail.level));
  const highPass = below[below.length - 1];
  const confirmed = [...below].reverse().find((g) => g.runs.length >= 1 + cfg.confirmRepeats);
  const noisy = groups.some((g) => g.runs.some((r) => r.verdict === 'pass') && !g.passed);
  return { groups, lowFail, highPass, confirmed, noisy };
}

export function summarize(history: readonly StepOutcome[], cfg: StepperConfig, status: SearchStatus): SearchResult {
  const { lowFail, confirmed, noisy } = evidence(history, cfg);
  const lowestProbed = Math.min(...history.map((s) => s.level));
  const sustainable = confirmed?.level ?? null;
  const high = lowFail?.level ?? null;
  const closed = cfg.levels.kind === 'concurrency';
  const [what, u] = closed ? ['concurrency', ' concurrent requests'] : ['rate', ' rps'];
  const messages: Record<SearchStatus, string> = {
    found: `sustainable ${what} ${sustainable}${u} (interval [${sustainable}, ${high}]${u})`,
    none: `no sustainable ${what} at or above ${lowestProbed}${u}`,
    'above-max': `sustainable at the highest ${what} tried, ${sustainable}${u}; the limit is above it (raise the maximum ${closed ? 'MAX_VUS' : 'rate'})`,
    incomplete:
      sustainable === null
        ? `search stopped after ${history.length} steps without a confirmed sustainable ${what} (lowest failure ${high ?? 'none'}${high === null ? '' : u})`
        : `search stopped after ${history.length} steps: sustainable ${what} at least ${sustainable}${u} (interval [${sustainable}, ${high ?? 'unbounded'}]${u})`,
  };
  const common = { status, noisy, steps: history.length, message: messages[status] };
  return closed
    ? {
        ...common,
        sustainableConcurrency: sustainable,
        interval: { lowConcurrency: sustainable, highConcurrency: high },
        lowestProbedConcurrency: lowestProbed,
      }
    : {
        ...common,
        sustainableRps: sustainable,
        interval: { lowRps: sustainable, highRps: high },
        lowestProbedRps: lowestProbed,
      };
}

/**
 * The next step, or done. Pure: the same history (and prior) always gives the same answer.
 * `prior.ceilingRps` (open model only): the throughput the target reached under a
 * closed-model probe; the sustainable rate cannot be above it, so the search starts there.
 */
export function next(history: readonly StepOutcome[], cfg: StepperConfig, prior: SearchPrior = NO_PRIOR): Next {
  const b = levelBounds(cfg);
  const tol = cfg.toleranceRatio;
  const round = (x: number): number => roundLevel(x, cfg);
  const ceilingPrior = cfg.levels.kind === 'rate' && prior.ceilingRps !== null && prior.ceilingRps > 0;
  const ceilingRps = ceilingPrior ? prior.ceilingRps! : 0;
  const tried = (groups: readonly LevelGroup[], x: number): boolean => groups.some((g) => g.level === round(x));
  if (history.length === 0) {
    if (ceilingPrior) return { done: false, level: round(clamp(ceilingRps * (1 - tol / 2), b)), purpose: 'ceiling' };
    return { done: false, level: round(b.start), purpose: 'probe' };
  }
  const { groups, lowFail, highPass } = evidence(history, cfg);
  const step = (level: number, purpose: StepPurpose): Next =>
    history.length >= cfg.maxSteps
      ? { done: true, result: summarize(history, cfg, 'incomplete') }
      : { done: false, level: round(level), purpose };
  const confirmOrDone = (status: SearchStatus): Next => {
    if (highPass !== undefined && highPass.runs.length < 1 + cfg.confirmRepeats)
      return step(highPass.level, 'confirm-pass');
    if (status === 'found' && lowFail !== undefined && lowFail.runs.length < 2 && !lowFail.runs.some((r) => r.decisive))
      return step(lowFail.level, 'confirm-fail');
    return { done: true, result: summarize(history, cfg, status) };
  };

  // Bracketing upwards: nothing has failed yet.
  if (lowFail === undefined) {
    const top = highPass!.level;
    if (top >= round(b.max)) return confirmOrDone('above-max');
    if (ceilingPrior) {
      // one tolerance above the highest pass closes the interval if it fails; every pass above the
      // measured ceiling (it was low: the probe did not fill the target) doubles the stride
      const above = groups.filter((g) => g.passed && g.level > ceilingRps).length;
      const up = rateWithin(top, tol * 2 ** above);
      return step(Math.min(up > top ? up : top * 2, b.max), 'ceiling');
    }
    return step(Math.min(top * 2, b.max), 'bracket');
  }

  // Saturated failures estimate the ceiling: the target's achieved throughput.
  const ceilings = lowFail.runs
    .concat(groups.filter((g) => g.level > lowFail.level).flatMap((g) => g.runs))
    .filter((r) => r.verdict !== 'pass' && r.saturated && r.achievedRps > 0)
    .map((r) => r.achievedRps);
  const floor = highPass?.level ?? 0;
  const ceiling = ceilings.filter((c) => c >= floor * (1 - tol) && c < lowFail.level).sort((x, y) => x - y)[0];

  // Descending: nothing has passed yet.
  if (highPass === undefined) {
    const lowest = groups[0]!;
    if (lowest.level <= round(b.min)) return { done: true, result: summarize(history, cfg, 'none') };
    // under a measured ceiling, narrow failures say the limit is close: one tolerance down, then
    // a stride doubling with each failed level (tolerance × 1, 2, 4, ...); a decisive one halves
    const narrowUnderCeiling = ceilingPrior && !lowest.runs.some((r) => r.decisive);
    const guess = narrowUnderCeiling
      ? lowest.level / (1 + tol * 2 ** (groups.length - 1))
      : ceiling !== undefined
        ? ceiling * (1 - tol / 2)
        : lowest.level / 2;
    return step(Math.max(b.min, Math.min(guess, lowest.level / (1 + tol))), 'descend');
  }

  const widthRatio = (lowFail.level - highPass.level) / highPass.level;
  if (widthRatio <= tol) return confirmOrDone('found');

  if (ceiling !== undefined) {
    // The ceiling sits at the highest pass: test just above it, which closes the interval if it fails.
    const justAbove = highPass.level * (1 + tol);
    if (ceiling <= justAbove) {
      if (!tried(groups, justAbove) && round(justAbove) < lowFail.level) return step(justAbove, 'saturation');
    } else {
      const under = ceiling * (1 - tol / 2);
      if (!tried(groups, under) && round(under) > highPass.level) return step(under, 'saturation');
      const upper = Math.min(lowFail.level, ceiling * (1 + tol));
      const mid = (highPass.level + upper) / 2;
      if (!tried(groups, mid) && round(mid) > highPass.level && round(mid) < lowFail.level) return step(mid, 'bisect');
    }
  }
  const mid = (highPass.level + lowFail.level) / 2;
  // Rounding can make the midpoint collide with an end; the interval is then as narrow as levels go.
  if (round(mid) <= highPass.level || round(mid) >= lowFail.level) return confirmOrDone('found');
  return step(mid, 'bisect');
}

const NO_PRIOR: SearchPrior = { ceilingRps: null };

function clamp(x: number, b: { min: number; max: number }): number {
  return Math.min(b.max, Math.max(b.min, x));
}

/** The rate `ratio` above `from`, rounded down so the interval [from, it] stays within `ratio`. */
function rateWithin(from: number, ratio: number): number {
  const up = roundRate(from * (1 + ratio));
  if ((up - from) / from <= ratio) return up;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(up)));
  const unit = 10 ** -Math.min(3, digits);
  return Number((Math.floor((from * (1 + ratio)) / unit) * unit).toFixed(Math.min(3, digits)));
}
