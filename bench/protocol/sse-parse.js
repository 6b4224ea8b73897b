// The bare streamed baseline that measures what genload measures, the way a
// k6 user writes it: k6/x/sse, JSON.parse of every event, TTFT and one ITL
// sample per token (Trend.add), the same bodies genload sends (read from the
// run's workload.jsonl by run.ts). Plain JavaScript on purpose: it is the
// yardstick, not part of genload.
//   BARE_URL, BARE_BODIES (JSON array of body strings), BARE_VUS, BARE_DURATION_S
import sse from 'k6/x/sse';
import exec from 'k6/execution';
import { Trend } from 'k6/metrics';

const bodies = JSON.parse(open(__ENV.BARE_BODIES));
const url = `${__ENV.BARE_URL}/v1/chat/completions`;
const ttft = new Trend('bare_ttft_ms', true);
const itl = new Trend('bare_itl_ms', true);

export const options = {
  scenarios: { bare: { executor: 'constant-vus', vus: Number(__ENV.BARE_VUS), duration: `${__ENV.BARE_DURATION_S}s` } },
};

let scenario;

export default function () {
  scenario ??= exec.scenario;
  const body = bodies[scenario.iterationInTest % bodies.length];
  let first;
  let prev;
  sse.open(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } }, (client) => {
    client.on('event', (e) => {
      if (e.data === '[DONE]') return;
      const chunk = JSON.parse(e.data);
      if (chunk.choices.length > 0 && chunk.choices[0].delta.content) {
        if (first === undefined) first = e.ms;
        else itl.add(e.ms - prev);
        prev = e.ms;
      }
    });
  });
  if (first !== undefined) ttft.add(first);
}
