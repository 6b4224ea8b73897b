// Judges one k6 threshold (`p(95)<500`, `rate<=0.01`, `count>=1`) on raw samples.
// Used on the union of every execution segment's samples, because each k6
// instance judges only its own share. Pure.

import type { SampleTable } from '../run-folder/samples.ts';
import { aggregate, parseSelector, select } from './aggregate.ts';

export interface ThresholdExpression {
  aggregation: string;
  operator: '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';
  limit: number;
}

/** `p(95)<500` -> { aggregation: 'p(95)', operator: '<', limit: 500 } (k6's threshold grammar). */
export function parseExpression(expression: string): ThresholdExpression {
  const m =
    /^\s*([a-z]+(?:\(\s*\d+(?:\.\d+)?\s*\))?)\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)\s*$/i.exec(
      expression,
    );
  if (m === null)
    throw new Error(`threshold expression: must be <aggregation> <operator> <number>, but is '${expression}'`);
  return {
    aggregation: (m[1] ?? '').replace(/\s+/g, ''),
    operator: m[2] as ThresholdExpression['operator'],
    limit: Number(m[3]),
  };
}

export function compare(value: number, operator: ThresholdExpression['operator'], limit: number): boolean {
  switch (operator) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '==':
    case '===':
      return value === limit;
    case '!=':
      return value !== limit;
  }
}

export interface ThresholdResult {
  /** the aggregate's value on the samples */
  value: number;
  ok: boolean;
}

/** Judges `expression` on the samples `metricKey` (a k6 sub-metric name) selects. */
export function judgeThreshold(
  table: SampleTable,
  metricKey: string,
  expression: string,
  testDurationS: number,
): ThresholdResult {
  const expr = parseExpression(expression);
  const value = aggregate(select(table, parseSelector(metricKey)), expr.aggregation, testDurationS);
  return { value, ok: compare(value, expr.operator, expr.limit) };
}
