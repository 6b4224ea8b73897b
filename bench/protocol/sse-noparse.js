// The ceiling of a k6/x/sse script: the same bodies and stream as
// sse-parse.js, but the event handler only counts events (no JSON.parse, no
// metric adds). Nothing useful is measured; it shows what the stream itself
// costs a k6 VU with one JavaScript callback per event.
//   BARE_URL, BARE_BODIES (JSON array of body strings), BARE_VUS, BARE_DURATION_S
import sse from 'k6/x/sse';
import exec from 'k6/execution';

const bodies = JSON.parse(open(__ENV.BARE_BODIES));
const url = `${__ENV.BARE_URL}/v1/chat/completions`;

export const options = {
  scenarios: { bare: { executor: 'constant-vus', vus: Number(__ENV.BARE_VUS), duration: `${__ENV.BARE_DURATION_S}s` } },
};

let scenario;

export default function () {
  scenario ??= exec.scenario;
  let events = 0;
  sse.open(
    url,
    {
      method: 'POST',
      body: bodies[scenario.iterationInTest % bodies.length],
      headers: { 'content-type': 'application/json' },
    },
    (client) => {
      client.on('event', () => {
        events++;
      });
    },
  );
  if (events === 0) throw new Error('no events');
}
