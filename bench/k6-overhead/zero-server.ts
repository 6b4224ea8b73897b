// The zero-cost endpoint: answers POST /v1/chat/completions at once with a
// fixed completion (usage included) and `Server-Timing: total;dur=<handler ms>`,
// after reading the whole body. Anything else is 404. Loopback only. Runs as
// its own process (pinned to a core by run.ts) so it never shares the k6 core.
//   node --import tsx bench/k6-overhead/zero-server.ts   -> prints {"url": ...}

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const ANSWER = JSON.stringify({
  id: 'z',
  object: 'chat.completion',
  created: 0,
  model: 'zero',
  choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
});

const server = createServer((req, res) => {
  const startNs = process.hrtime.bigint();
  req.resume();
  req.on('end', () => {
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return void res.writeHead(404).end();
    const totalMs = Number(process.hrtime.bigint() - startNs) / 1e6;
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(ANSWER),
      'server-timing': `total;dur=${totalMs.toFixed(3)}`,
    });
    res.end(ANSWER);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
