// smoke: a few closed-model requests to prove the path end to end. Works against
// any HTTP JSON endpoint: GET <target.url><target.readyPath>, expecting 2xx.
// Judged by a strict default SLO (no errors, p95 under 2 s) unless an SLO file is given.

import http from 'k6/http';
import { check } from 'k6';
import type { Options } from 'k6/options';
import { readRunConfig } from '../lib/k6/config.ts';
import { writeSummary } from '../lib/k6/summary.ts';

const config = readRunConfig();

export const options: Options = {
  scenarios: {
    smoke: {
      executor: 'constant-vus',
      vus: Math.min(config.load.vus, 2),
      duration: `${config.load.durationSeconds}s`,
      tags: { stage: 'measure' },
    },
  },
  thresholds: {
    http_req_failed: ['rate==0'],
    http_req_duration: ['p(95)<2000'],
    http_reqs: ['count>0'],
  },
};

export default function smoke(): void {
  const res = http.get(`${config.target.url}${config.target.readyPath}`, { tags: { name: 'smoke' } });
  check(res, { 'status is 2xx': (r) => r.status >= 200 && r.status < 300 });
}

export const handleSummary = writeSummary;
