// Timing accuracy of the streamed path in Go: a local OpenAI-shaped server
// streams tokens at known delays and writes its own send time into every
// chunk; genload's TTFT and ITL (k6/x/genload, read on the VU's goroutine)
// must agree with the server's own account. A client always sees TTFT a
// little later than the server stamps it (the request's way in, the answer's
// way out, the server's own dispatch): the floor is what a raw socket client
// sees against the same server in the same test, and genload may add under
// 1 ms to it. ITL gaps carry no such offset: their medians agree within 1 ms.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleScenarios } from '../../lib/cli/bundle/bundle.ts';
import { resolveK6 } from '../../lib/cli/k6/provision.ts';
import { TREND } from '../../lib/shared/metrics.ts';
import { loadRun, startJsonServer } from './harness.ts';

const work = mkdtempSync(join(tmpdir(), 'genload-e2e-accuracy-'));

before(async () => {
  await resolveK6({ log: () => {} });
  await bundleScenarios();
});
after(() => rmSync(work, { recursive: true, force: true }));

const TTFT_MS = 40;
const GAP_MS = 12;
const TOKENS = 12;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
};

/** TTFT of `n` sequential requests as a raw socket sees them: request written to the first answer bytes read. */
async function rawSocketTtft(url: string, n: number): Promise<number[]> {
  const { hostname, port } = new URL(url);
  const body = JSON.stringify({ messages: [{ role: 'user', content: 'x' }], max_tokens: TOKENS, stream: true });
  const out: number[] = [];
  const socket = connect(Number(port), hostname);
  socket.setNoDelay(true);
  await new Promise<void>((r) => socket.once('connect', () => r()));
  try {
    for (let k = 0; k < n; k++) {
      await new Promise<void>((resolve) => {
        let t0 = 0;
        let seen = '';
        let first = true;
        const onData = (c: Buffer): void => {
          if (first && c.includes('data: ')) {
            out.push(performance.now() - t0);
            first = false;
          }
          seen += c.toString();
          if (seen.includes('[DONE]') && seen.endsWith('0\r\n\r\n')) {
            socket.off('data', onData);
            resolve();
          }
        };
        socket.on('data', onData);
        t0 = performance.now();
        socket.write(
          `POST /v1/chat/completions HTTP/1.1\r\nHost: ${hostname}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
      });
    }
  } finally {
    socket.destroy();
  }
  return out;
}

test("streamed TTFT and ITL agree with the server's own send times: ITL within 1 ms, TTFT within 1 ms of a raw socket's", async (t) => {
  /** per request: ms from the request's head received to the first token written, and the gaps between token writes */
  const serverTtft: number[] = [];
  const serverGaps: number[] = [];
  const server = await startJsonServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[{"id":"m"}]}');
      return;
    }
    // the server's clock starts when the request's head arrives (the client's when it hands the request over)
    const received = performance.now();
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let k = 0;
      let last = received;
      const next = (): void => {
        const sentMs = performance.now();
        res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'x' } }], sent_ms: sentMs })}\n\n`);
        if (k === 0) serverTtft.push(sentMs - received);
        else serverGaps.push(sentMs - last);
        last = sentMs;
        k += 1;
        if (k < TOKENS) setTimeout(next, GAP_MS);
        else
          res.end(
            `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 5, completion_tokens: TOKENS } })}\n\ndata: [DONE]\n\n`,
          );
      };
      setTimeout(next, TTFT_MS);
    });
  });
  try {
    const r = await loadRun({
      scenario: 'llm-stream',
      target: server.url,
      api: 'openai-chat',
      rate: '5',
      duration: '4s',
      warmup: '1s',
      'output-tokens': String(TOKENS),
      results: join(work, 'results'),
      name: 'accuracy',
    });
    assert.equal(r.code, 0, r.stderr.slice(-2000));
    const s = r.summary;
    const lat = s.stages.find((x) => x.stage === 'measure')?.classes.llm?.latency;
    const ttft = lat?.[TREND.ttftMs];
    const itl = lat?.[TREND.itlMs];
    assert.ok(ttft !== undefined && itl !== undefined, 'TTFT and ITL measured');
    const genloadServerTtft = median(serverTtft);
    const ttftError = ttft.p50 - genloadServerTtft;
    const itlError = itl.p50 - median(serverGaps);
    // the floor, against the same server: a raw socket's TTFT minus the server's own, for its requests
    const before = serverTtft.length;
    const raw = await rawSocketTtft(server.url, 20);
    const floor = median(raw) - median(serverTtft.slice(before));
    t.diagnostic(
      `TTFT error genload ${ttftError.toFixed(3)} ms, raw socket ${floor.toFixed(3)} ms; ITL error ${itlError.toFixed(3)} ms`,
    );
    assert.ok(
      ttftError >= 0 && ttftError - floor < 1,
      `TTFT p50: genload ${ttft.p50.toFixed(3)} ms, server ${genloadServerTtft.toFixed(3)} ms: error ${ttftError.toFixed(3)} ms; a raw socket's error ${floor.toFixed(3)} ms`,
    );
    assert.ok(
      Math.abs(itlError) < 1,
      `ITL p50: genload ${itl.p50.toFixed(3)} ms, server ${median(serverGaps).toFixed(3)} ms (error ${itlError.toFixed(3)} ms)`,
    );
    assert.equal(itl.count, (TOKENS - 1) * ttft.count, 'one ITL sample per gap');
  } finally {
    await server.close();
  }
});
