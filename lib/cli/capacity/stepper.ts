// The rate search as a pure stepper: given every step judged so far, say which
// arrival rate to run next, or that the search is done and what it found.
// It knows nothing of k6, SLOs or files: a step arrives as a verdict (from
// acceptance.ts) plus the throughput the target achieved.
//
// Shape of a search:
//   probe      one short step at startRps
//   bracket    doubling until a step fails (or maxRps passes)
//   descend    halving while nothing has passed, down to minRps
//   saturation a failed step whose target completed less than offered tells
//              where the ceiling is (the sustainable rate cannot exceed the
//              throughput the target achieved), so the next probe goes there
//   bisect     between the highest pass and the lowest failure until the
//              interval is narrower than toleranceRatio
//   confirm    repeat the highest pass (a pass that does not repeat is not a
//              pass) and, when it failed narrowly, the lowest failure
// A rate counts as passed only when every run of it passed; invalid steps are
// never passes.

export type Verdict = 'pass' | 'fail' | 'invalid';

export interface StepOutcome {
  rateRps: number;
  verdict: Verdict;
  /** responses per second the target completed in the measurement window */
  achievedRps: number;
  /** the target could not keep up (completed clearly less than offered, or its queue grew) */
  saturated: boolean;
  /** failed by a wide margin: repeating it would not change the verdict */
  decisive: boolean;
}

export interface StepperConfig {
  startRps: number;
  /** lowest rate worth trying; nothing passing down to it means "no sustainable rate at or above minRps" */
  minRps: number;
  /** highest rate the search may offer */
  maxRps: number;
  /** bisection stops when (lowest fail - highest pass) / highest pass <= this */
  toleranceRatio: number;
  /** hard cap on the number of steps */
  maxSteps: number;
  /** extra passing runs the highest pass needs (1: it must pass twice) */
  confirmRepeats: number;
  /**
   * closed model (LOAD_MODEL=closed): the searched level is a concurrency, not a
   * rate: whole numbers from 1, and "rps" in every field means concurrent requests
   */
  wholeNumbers?: boolean;
}

export type StepPurpose = 'probe' | 'bracket' | 'descend' | 'saturation' | 'bisect' | 'confirm-pass' | 'confirm-fail';

export type SearchStatus = 'found' | 'none' | 'above-max' | 'incomplete';

export interface SearchResult {
  status: SearchStatus;
  /** highest confirmed passing rate, or null */
  sustainableRps: number | null;
  /** [highest confirmed pass, lowest failing rate]; null where no such step exists */
  interval: { lowRps: number | null; highRps: number | null };
  /** lowest rate any step offered */
  lowestProbedRps: number;
  /** some rate gave different verdicts on different runs */
  noisy: boolean;
  steps: number;
  message: string;
}

export interface NextStep {
  done: false;
  rateRps: number;
  purpose: StepPurpose;
}

export type Next = NextStep | { done: true; result: SearchResult };

interface RateGroup {
  rateRps: number;
  runs: StepOutcome[];
  passed: boolean;
}

/** Three significant digits: rates people can read and k6 can schedule (0.001 rps resolution). */
export function roundRate(rps: number): number {
  if (rps <= 0.001) return 0.001;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(rps)));
  return Number(rps.toFixed(Math.min(3, digits)));
}

/** A level the search can run: whole numbers of concurrent requests, or a rate of three significant digits. */
export function roundLevel(x: number, cfg: Pick<StepperConfig, 'wholeNumbers'>): number {
  return cfg.wholeNumbers === true ? Math.max(1, Math.round(x)) : roundRate(x);
}

function group(history: readonly StepOutcome[]): RateGroup[] {
  const byRate = new Map<number, StepOutcome[]>();
  for (const s of history) byRate.set(s.rateRps, [...(byRate.get(s.rateRps) ?? []), s]);
  return [...byRate.entries()]
    .map(([rateRps, runs]) => ({ rateRps, runs, passed: runs.every((r) => r.verdict === 'pass') }))
    .sort((a, b) => a.rateRps - b.rateRps);
}

/** The current evidence: lowest failure, highest pass below it, confirmed pass. */
function evidence(history: readonly StepOutcome[], cfg: StepperConfig) {
  const groups = group(history);
  const lowFail = groups.find((g) => !g.passed);
  const below = groups.filter((g) => g.passed && (lowFail === undefined || g.rateRps < lowFail.rateRps));
  const highPass = below[below.length - 1];
  const confirmed = [...below].reverse().find((g) => g.runs.length >= 1 + cfg.confirmRepeats);
  const noisy = groups.some((g) => g.runs.some((r) => r.verdict === 'pass') && !g.passed);
  return { groups, lowFail, highPass, confirmed, noisy };
}

export function summarize(history: readonly StepOutcome[], cfg: StepperConfig, status: SearchStatus): SearchResult {
  const { lowFail, confirmed, noisy } = evidence(history, cfg);
  const lowestProbedRps = Math.min(...history.map((s) => s.rateRps));
  const sustainableRps = confirmed?.rateRps ?? null;
  const interval = { lowRps: sustainableRps, highRps: lowFail?.rateRps ?? null };
  const [what, u] = cfg.wholeNumbers === true ? ['concurrency', ' concurrent requests'] : ['rate', ' rps'];
  const messages: Record<SearchStatus, string> = {
    found: `sustainable ${what} ${sustainableRps}${u} (interval [${interval.lowRps}, ${interval.highRps}]${u})`,
    none: `no sustainable ${what} at or above ${lowestProbedRps}${u}`,
    'above-max': `sustainable at the highest ${what} tried, ${sustainableRps}${u}; the limit is above it (raise the maximum ${cfg.wholeNumbers === true ? 'MAX_VUS' : 'rate'})`,
    incomplete:
      sustainableRps === null
        ? `search stopped after ${history.length} steps without a confirmed sustainable ${what} (lowest failure ${interval.highRps ?? 'none'}${interval.highRps === null ? '' : u})`
        : `search stopped after ${history.length} steps: sustainable ${what} at least ${sustainableRps}${u} (interval [${interval.lowRps}, ${interval.highRps ?? 'unbounded'}]${u})`,
  };
  return { status, sustainableRps, interval, lowestProbedRps, noisy, steps: history.length, message: messages[status] };
}

/** The next step, or done. Pure: the same history always gives the same answer. */
export function next(history: readonly StepOutcome[], cfg: StepperConfig): Next {
  const roundRate = (x: number): number => roundLevel(x, cfg);
  const tried = (groups: readonly RateGroup[], rps: number): boolean =>
    groups.some((g) => g.rateRps === roundRate(rps));
  if (history.length === 0) return { done: false, rateRps: roundRate(cfg.startRps), purpose: 'probe' };
  const { groups, lowFail, highPass } = evidence(history, cfg);
  const step = (rateRps: number, purpose: StepPurpose): Next =>
    history.length >= cfg.maxSteps
      ? { done: true, result: summarize(history, cfg, 'incomplete') }
      : { done: false, rateRps: roundRate(rateRps), purpose };
  const confirmOrDone = (status: SearchStatus): Next => {
    if (highPass !== undefined && highPass.runs.length < 1 + cfg.confirmRepeats)
      return step(highPass.rateRps, 'confirm-pass');
    if (status === 'found' && lowFail !== undefined && lowFail.runs.length < 2 && !lowFail.runs.some((r) => r.decisive))
      return step(lowFail.rateRps, 'confirm-fail');
    return { done: true, result: summarize(history, cfg, status) };
  };

  // Bracketing upwards: nothing has failed yet.
  if (lowFail === undefined) {
    const top = highPass!.rateRps;
    if (top >= roundRate(cfg.maxRps)) return confirmOrDone('above-max');
    return step(Math.min(top * 2, cfg.maxRps), 'bracket');
  }

  // Saturated failures estimate the ceiling: the target's achieved throughput.
  const ceilings = lowFail.runs
    .concat(groups.filter((g) => g.rateRps > lowFail.rateRps).flatMap((g) => g.runs))
    .filter((r) => r.verdict !== 'pass' && r.saturated && r.achievedRps > 0)
    .map((r) => r.achievedRps);
  const floor = highPass?.rateRps ?? 0;
  const ceiling = ceilings
    .filter((c) => c >= floor * (1 - cfg.toleranceRatio) && c < lowFail.rateRps)
    .sort((a, b) => a - b)[0];

  // Descending: nothing has passed yet.
  if (highPass === undefined) {
    const lowest = groups[0]!.rateRps;
    if (lowest <= roundRate(cfg.minRps)) return { done: true, result: summarize(history, cfg, 'none') };
    const guess = ceiling !== undefined ? ceiling * (1 - cfg.toleranceRatio / 2) : lowest / 2;
    return step(Math.max(cfg.minRps, Math.min(guess, lowest / (1 + cfg.toleranceRatio))), 'descend');
  }

  const widthRatio = (lowFail.rateRps - highPass.rateRps) / highPass.rateRps;
  if (widthRatio <= cfg.toleranceRatio) return confirmOrDone('found');

  if (ceiling !== undefined) {
    // The ceiling sits at the highest pass: test just above it, which closes the interval if it fails.
    const justAbove = highPass.rateRps * (1 + cfg.toleranceRatio);
    if (ceiling <= justAbove) {
      if (!tried(groups, justAbove) && roundRate(justAbove) < lowFail.rateRps) return step(justAbove, 'saturation');
    } else {
      const under = ceiling * (1 - cfg.toleranceRatio / 2);
      if (!tried(groups, under) && roundRate(under) > highPass.rateRps) return step(under, 'saturation');
      const upper = Math.min(lowFail.rateRps, ceiling * (1 + cfg.toleranceRatio));
      const mid = (highPass.rateRps + upper) / 2;
      if (!tried(groups, mid) && roundRate(mid) > highPass.rateRps && roundRate(mid) < lowFail.rateRps)
        return step(mid, 'bisect');
    }
  }
  const mid = (highPass.rateRps + lowFail.rateRps) / 2;
  // Rounding can make the midpoint collide with an end; the interval is then as narrow as rates go.
  if (roundRate(mid) <= highPass.rateRps || roundRate(mid) >= lowFail.rateRps) return confirmOrDone('found');
  return step(mid, 'bisect');
}
