// Judges one SLO condition on raw samples, from its record (stage, class,
// metric, statistic, bound): used on the union of every execution segment's
// samples, because each k6 instance judges only its own share. Reads the
// record, never the k6 expression string. Pure.

import { recordSelector } from '../../shared/slo/compile.ts';
import { aggregationOf, meets, type VerdictRecord } from '../../shared/slo/record.ts';
import type { SampleTable } from '../run-folder/samples.ts';
import { aggregate, select } from './aggregate.ts';

export interface ThresholdResult {
  /** the aggregate's value on the samples */
  value: number;
  ok: boolean;
}

/** Judges a record on the samples of the sub-metric it names. */
export function judgeRecord(table: SampleTable, record: VerdictRecord, testDurationS: number): ThresholdResult {
  const value = aggregate(select(table, recordSelector(record)), aggregationOf(record), testDurationS);
  return { value, ok: meets(record, value) };
}
