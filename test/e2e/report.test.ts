// The report as a person sees it: a real k6 run (smoke scenario against the
// reference server, sim engine) with the monitors sampling the server's process
// and /metrics, rendered to report.html, opened in headless Chromium and
// screenshotted (report.png in the run folder, report-first-screen.png the
// 1280x800 first screen). Checks the answer sentence is in the first screen
// and the plots are drawn.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ExitCode } from '../../lib/shared/exit-codes.ts';
import { startMonitors } from '../../lib/cli/monitor/monitors.ts';
import { renderRunReports } from '../../lib/cli/report/render-run.ts';
import { startManagedServer } from '../../lib/cli/run/managed-server.ts';
import { runCli } from './harness.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The first screen a reader sees. */
const VIEWPORT = { width: 1280, height: 800 };

/** Opens a local file in a fresh headless Chromium profile, screenshots it, returns each plot's drawn size and the answer's box. */
async function screenshot(
  htmlPath: string,
  pngPath: string,
): Promise<{
  plots: { id: string; width: number; height: number; paths: number }[];
  answer: { top: number; bottom: number; left: number; right: number; text: string } | null;
}> {
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'genload-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: VIEWPORT,
    offline: true,
  });
  try {
    const page = await context.newPage();
    await page.goto(`file://${htmlPath}`, { waitUntil: 'load', timeout: 30_000 });
    await page.screenshot({ path: pngPath.replace(/\.png$/, '-first-screen.png'), fullPage: false, timeout: 30_000 });
    const answer = (await page.evaluate(
      `(() => { const a = document.getElementById('answer'); if (!a) return null; const r = a.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, text: a.textContent }; })()`,
    )) as { top: number; bottom: number; left: number; right: number; text: string } | null;
    await page.screenshot({ path: pngPath, fullPage: true, timeout: 30_000 });
    // evaluated in the page (a string: the Node type environment has no DOM types)
    const plots = (await page.evaluate(`[...document.querySelectorAll('figure[data-plot]')].map((f) => {
      const svg = f.querySelector('svg');
      const r = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
      return { id: f.getAttribute('data-plot'), width: r.width, height: r.height, paths: svg ? svg.querySelectorAll('path, rect, line').length : 0 };
    })`)) as { id: string; width: number; height: number; paths: number }[];
    return { plots, answer };
  } finally {
    await context.close();
  }
}

test(
  'a real k6 run renders a self-contained report with drawn plots in headless Chromium',
  { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} missing: run \`make chromium\``, timeout: 180_000 },
  async () => {
    const logDir = mkdtempSync(join(tmpdir(), 'genload-e2e-srv-'));
    const server = await startManagedServer({ engine: 'sim', logPath: join(logDir, 'server.log') });
    const results = mkdtempSync(join(tmpdir(), 'genload-e2e-report-'));
    const monitorDir = mkdtempSync(join(tmpdir(), 'genload-e2e-mon-'));
    const monitors = startMonitors({
      runDir: monitorDir,
      serverPid: server.pid,
      metricsUrl: `${server.url}/metrics`,
      intervalMs: 500,
    });
    try {
      const run = await runCli([
        'load',
        '--scenario',
        'smoke',
        '--target',
        server.url,
        '--duration',
        '6s',
        '--results',
        results,
      ]);
      await monitors.stop();
      assert.equal(run.code, ExitCode.Passed, run.stderr);
      const [folder] = readdirSync(results).filter((d) => statSync(join(results, d)).isDirectory());
      const runDir = join(results, folder ?? '');
      // the monitors ran beside the run; place their record in the folder as runLoad does
      copyFileSync(join(monitorDir, 'monitors.json'), join(runDir, 'monitors.json'));
      const { model } = await renderRunReports(runDir);
      assert.ok(model.availability.total >= 3, `requests measured: ${model.availability.total}`);
      const html = readFileSync(join(runDir, 'report.html'), 'utf8');
      assert.doesNotMatch(html, /<script|<link /, 'report.html must not load anything');
      const { plots, answer } = await screenshot(join(runDir, 'report.html'), join(runDir, 'report.png'));
      // the answer sentence is read before anything else: wholly inside the first 1280x800 screen
      assert.ok(answer !== null, 'report.html has no #answer');
      assert.equal(answer.text, model.answer.sentence);
      // no SLO given: smoke is judged by ci-smoke, and the answer names it with its bounds
      assert.match(answer.text, /^(Passed|Failed) the SLO ci-smoke[ ,(]/);
      assert.ok(
        answer.top >= 0 && answer.left >= 0 && answer.bottom <= VIEWPORT.height && answer.right <= VIEWPORT.width,
        `answer box ${JSON.stringify(answer)} outside the first screen`,
      );
      const ids = plots.map((p) => p.id);
      for (const id of ['latency-over-time', 'latency-cdf', 'utilisation', 'memory', 'server-queue'])
        assert.ok(
          ids.includes(id),
          `plot ${id} missing; drawn: ${ids.join(', ')}; not drawn: ${model.missing.join('; ')}`,
        );
      for (const p of plots)
        assert.ok(p.width > 200 && p.height > 80 && p.paths > 5, `plot ${p.id} is empty: ${JSON.stringify(p)}`);
      assert.ok(statSync(join(runDir, 'report.png')).size > 50_000, 'screenshot suspiciously small');
      process.stderr.write(`report screenshot: ${join(runDir, 'report.png')}\n`);
    } finally {
      await monitors.stop();
      await server.stop();
    }
  },
);
