// The floor of a measuring k6 script: bare.js plus what any load tool that
// reports per-stage latency must do per request: stage and class tags on the
// request, a per-request timeout, and one Trend.add of the latency with those
// tags. Plain JavaScript, like bare.js; run by run.ts beside bare and genload.
//   BARE_URL, BARE_BODIES (JSON file), BARE_VUS, BARE_DURATION_S
import http from 'k6/http';
import exec from 'k6/execution';
import { Trend } from 'k6/metrics';

const bodies = JSON.parse(open(__ENV.BARE_BODIES));
const url = `${__ENV.BARE_URL}/v1/chat/completions`;
const tags = { stage: 'measure', class: 'llm' };
const params = { headers: { 'content-type': 'application/json' }, tags, timeout: 120000 };
const e2e = new Trend('floor_e2e_ms', true);

export const options = {
  scenarios: {
    floor: { executor: 'constant-vus', vus: Number(__ENV.BARE_VUS), duration: `${__ENV.BARE_DURATION_S}s` },
  },
};

export default function () {
  const res = http.post(url, bodies[exec.scenario.iterationInTest % bodies.length], params);
  e2e.add(res.timings.duration, tags);
}
