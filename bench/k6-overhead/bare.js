// The bare k6 baseline: the same requests a genload smoke run sends (bodies
// precomputed by run.ts with genload's own sampling, in iteration order), with
// nothing else: no sampling, no custom metrics, no parsing. Plain JavaScript on
// purpose: it is the yardstick, not part of genload.
//   BARE_URL, BARE_BODIES (JSON file), BARE_VUS, BARE_DURATION_S
import http from 'k6/http';
import exec from 'k6/execution';

const bodies = JSON.parse(open(__ENV.BARE_BODIES));
const url = `${__ENV.BARE_URL}/v1/chat/completions`;
const params = { headers: { 'content-type': 'application/json' } };

export const options = {
  scenarios: { bare: { executor: 'constant-vus', vus: Number(__ENV.BARE_VUS), duration: `${__ENV.BARE_DURATION_S}s` } },
};

export default function () {
  http.post(url, bodies[exec.scenario.iterationInTest % bodies.length], params);
}
