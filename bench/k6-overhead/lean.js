// bare.js with the one change any careful k6 script author makes: the
// exec.scenario object is read once per VU (each access builds a new
// Go-backed object, about 9 µs) instead of once per iteration. The tightest
// plain k6 yardstick for genload's request path. Plain JavaScript, like bare.js.
//   BARE_URL, BARE_BODIES (JSON file), BARE_VUS, BARE_DURATION_S
import http from 'k6/http';
import exec from 'k6/execution';

const bodies = JSON.parse(open(__ENV.BARE_BODIES));
const url = `${__ENV.BARE_URL}/v1/chat/completions`;
const params = { headers: { 'content-type': 'application/json' } };

export const options = {
  scenarios: { lean: { executor: 'constant-vus', vus: Number(__ENV.BARE_VUS), duration: `${__ENV.BARE_DURATION_S}s` } },
};

let scenario;

export default function () {
  scenario ??= exec.scenario;
  http.post(url, bodies[scenario.iterationInTest % bodies.length], params);
}
