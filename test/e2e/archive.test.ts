// The workload file travels with the script: k6/x/genload reads workload.jsonl
// through k6's init file system, so `k6 archive` packs it, and the archive runs
// after the original file is gone (what k6's own distribution, k6-operator and
// cloud runners rely on).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleScenarios } from '../../lib/cli/bundle/bundle.ts';
import { repoRoot } from '../../lib/cli/paths.ts';
import { resolveK6 } from '../../lib/cli/k6/provision.ts';
import { directRunConfig, k6Env } from './direct-run.ts';
import { json, runProcess, startJsonServer } from './harness.ts';

const work = mkdtempSync(join(tmpdir(), 'genload-e2e-archive-'));
let k6Path: string;

before(async () => {
  k6Path = (await resolveK6({ log: () => {} })).path;
  await bundleScenarios();
});
after(() => rmSync(work, { recursive: true, force: true }));

test('k6 archive packs workload.jsonl; the archive runs with the original file deleted', async () => {
  // the reference API: images, and chat streamed (smoke streams LLM answers by default)
  const server = await startJsonServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      if (!raw.includes('"stream":true')) return json(res, 200, { data: [{ b64_json: 'AA==' }] });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(
        `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'ok' } }] })}\n\ndata: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 1 } })}\n\ndata: [DONE]\n\n`,
      );
    });
  });
  try {
    const runDir = join(work, 'run');
    const config = await directRunConfig({
      scenario: 'smoke',
      runDir,
      targetUrl: server.url,
      rateRps: 1,
      durationSeconds: 2,
      warmupSeconds: 0,
    });
    const tar = join(work, 'smoke.tar');
    const script = join(repoRoot, '.build/scenarios/smoke.js');
    const archived = await runProcess(
      k6Path,
      ['archive', '-e', `GENLOAD_CONFIG=${JSON.stringify(config)}`, '-O', tar, script],
      { env: k6Env(config), timeoutMs: 60_000 },
    );
    assert.equal(archived.code, 0, archived.stderr);
    const list = await runProcess('tar', ['tf', tar]);
    assert.ok(
      list.stdout.split('\n').some((l) => l.endsWith(`${config.workloadFile.path}`)),
      `the archive holds the workload file:\n${list.stdout}`,
    );
    rmSync(config.workloadFile.path);
    const ran = await runProcess(k6Path, ['run', '--quiet', '--no-color', tar], {
      env: k6Env(config),
      timeoutMs: 60_000,
    });
    assert.equal(ran.code, 0, ran.stderr.slice(-2000));
    assert.ok(server.requests > 0, 'the archive sent its requests');
  } finally {
    await server.close();
  }
});
