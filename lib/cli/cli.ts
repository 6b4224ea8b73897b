// genload's command line, loaded by main.ts once the Node version is checked.
// Thin: parse argv, call one command, turn its result or error into an exit
// code. Every Make target that runs genload goes through here.

import { parseArgs } from 'node:util';
import { ExitCode } from '../shared/exit-codes.ts';
import { KNOBS } from './config/knobs.ts';
import { knobUsage, makeVariablesHelp } from './config/help.ts';
import { flagsFromMakeVars } from './config/make-vars.ts';
import { ConfigError, GenloadError } from './errors.ts';
import { COMMANDS } from './commands/index.ts';

function usage(): string {
  const cmds = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)} ${c.help}`);
  return ['usage: genload <command> [--flag value ...]', '', 'commands:', ...cmds, '', ...knobUsage(), ''].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const extra = Object.values(COMMANDS).flatMap((c) => c.extraFlags ?? []);
  const options = Object.fromEntries(
    [...KNOBS.map((k) => k.flag), ...extra].map((f) => [f, { type: 'string' as const }]),
  );
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    process.stderr.write(`genload: ${(err as Error).message}\n\n${usage()}`);
    return ExitCode.ConfigInvalid;
  }
  const [name, topic] = parsed.positionals;
  if (name === 'help' && topic === 'make') {
    // `make help`: the Make variables of each group of the configuration table
    process.stdout.write(`${makeVariablesHelp().join('\n')}\n`);
    return ExitCode.Passed;
  }
  if (parsed.values.help === true || name === undefined || name === 'help') {
    process.stdout.write(usage());
    return name === undefined && parsed.values.help !== true ? ExitCode.ConfigInvalid : ExitCode.Passed;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(`genload: command: must be one of ${Object.keys(COMMANDS).join(', ')}, but is '${name}'\n`);
    return ExitCode.ConfigInvalid;
  }
  // Make variables arrive as GENLOAD_FLAG_<VAR> (config/make-vars.ts); a flag on the command line wins over them
  const fromMake = flagsFromMakeVars(process.env, Object.keys(options));
  for (const name of fromMake.consumed) delete process.env[name];
  if (fromMake.problems.length > 0) {
    process.stderr.write(`genload: ${new ConfigError(fromMake.problems).message}\n`);
    return ExitCode.ConfigInvalid;
  }
  const flags: Record<string, string> = { ...fromMake.flags };
  for (const [key, value] of Object.entries(parsed.values as Record<string, unknown>))
    if (typeof value === 'string') flags[key] = value;
  try {
    return await command.run(flags);
  } catch (err) {
    if (err instanceof GenloadError) {
      process.stderr.write(`genload: ${err.message}\n`);
      return err.exitCode;
    }
    const code = (err as { exitCode?: number }).exitCode;
    process.stderr.write(`genload: ${name} failed; reason: ${(err as Error).stack ?? String(err)}\n`);
    return typeof code === 'number' ? code : ExitCode.InternalError;
  }
}
