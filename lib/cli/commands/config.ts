// `genload config [--flag value ...]` (make config VAR=...): resolves and
// validates a load's configuration exactly as `genload load` does and prints
// every knob's value and where it came from (default, scenario, env, flag) as
// JSON. Nothing runs and no file is written: this is how to see what a Make
// variable or GENLOAD_* variable turned into. Credentials in URLs are redacted.

import { ExitCode } from '../../shared/exit-codes.ts';
import type { CommandIo } from '../command-io.ts';
import { resolveRun } from '../run-plan/resolve.ts';
import { redactUrl, splitCredentials } from '../run-plan/credentials.ts';

const URL_KNOBS = ['target', 'prometheusRw'] as const;

export async function runConfig(
  flags: Record<string, string | undefined>,
  env: NodeJS.ProcessEnv = process.env,
  io: CommandIo = {},
): Promise<number> {
  const out = io.out ?? ((text: string) => void process.stdout.write(text));
  const { knobs, workload, slo } = resolveRun(flags, env);
  // structured values (token lengths, pairs, concurrency steps) are shown as they were given
  const texts = new Map<string, string | undefined>(Object.entries(knobs.texts));
  const values: Record<string, unknown> = Object.fromEntries(
    Object.entries(knobs.values).map(([key, value]) => [
      key,
      typeof value === 'object' && value !== null ? (texts.get(key) ?? value) : value,
    ]),
  );
  for (const key of URL_KNOBS) {
    const url = values[key];
    // a URL without user info is printed as given, byte for byte
    if (typeof url === 'string' && splitCredentials(url).basicAuth !== undefined) values[key] = redactUrl(url);
  }
  // slo: the profile that will judge the run (the scenario's default per class when SLO is not given)
  const judgedBy = { name: slo.profile.name, path: slo.path, origin: slo.origin };
  out(
    `${JSON.stringify({ values, sources: knobs.sources, sloFile: knobs.sloFile, slo: judgedBy, workload }, null, 2)}\n`,
  );
  return ExitCode.Passed;
}
