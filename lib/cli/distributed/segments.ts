// k6 execution segments for N equal instances: instance i runs the slice
// [i/N, (i+1)/N) of every scenario, and the shared sequence lets k6 spread
// iterations and VUs so that the slices together are exactly the whole test
// (k6-operator's TestRun does the same with `parallelism`). Pure.

/** Highest instance count accepted: each instance is a whole k6 process. */
export const MAX_INSTANCES = 64;

export interface Segment {
  index: number;
  /** --execution-segment, e.g. "1/3:2/3" */
  segment: string;
  /** --execution-segment-sequence, e.g. "0,1/3,2/3,1" (identical for every instance) */
  sequence: string;
}

const point = (i: number, n: number): string => (i === 0 ? '0' : i === n ? '1' : `${i}/${n}`);

export function executionSegments(instances: number): Segment[] {
  if (!Number.isInteger(instances) || instances < 1 || instances > MAX_INSTANCES) {
    throw new Error(`instances: must be a whole number from 1 to ${MAX_INSTANCES}, but is ${instances}`);
  }
  const sequence = Array.from({ length: instances + 1 }, (_, i) => point(i, instances)).join(',');
  return Array.from({ length: instances }, (_, i) => ({
    index: i,
    segment: `${point(i, instances)}:${point(i + 1, instances)}`,
    sequence,
  }));
}

/** k6 flags that put one instance on its segment. */
export function segmentArgs(s: Segment): string[] {
  return ['--execution-segment', s.segment, '--execution-segment-sequence', s.sequence];
}
