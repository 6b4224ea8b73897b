// Runs one external command of provisioning (go, xk6, k6 version, pip) with its
// output appended to a log file and kept in memory for error messages, bounded in time.

import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';

export interface CommandOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** append stdout and stderr here; omit to keep the output in memory only */
  logPath?: string;
  /** kill the command (SIGKILL) after this long */
  timeoutMs: number;
  /** each complete output line, for progress notes */
  onLine?: (line: string) => void;
}

export interface CommandResult {
  /** exit status; 128 + 9 when killed at the time limit */
  exitCode: number;
  stdout: string;
  /** stdout and stderr interleaved, trimmed to the last maxKeptChars */
  output: string;
  timedOut: boolean;
}

const maxKeptChars = 512 * 1024;

/** Resolves with the result; rejects only when the command cannot be started (err.code 'ENOENT' when missing). */
export function runCommand(cmd: string, args: readonly string[], opts: CommandOptions): Promise<CommandResult> {
  return new Promise((resolveCommand, reject) => {
    const child = spawn(cmd, [...args], { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let output = '';
    let partial = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    const onData = (isStdout: boolean) => (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      if (isStdout) stdout = (stdout + text).slice(-maxKeptChars);
      output = (output + text).slice(-maxKeptChars);
      if (opts.logPath) appendFileSync(opts.logPath, chunk);
      if (opts.onLine) {
        const lines = (partial + text).split(/\r?\n/);
        partial = lines.pop() ?? '';
        for (const line of lines) if (line.trim() !== '') opts.onLine(line);
      }
    };
    child.stdout.on('data', onData(true));
    child.stderr.on('data', onData(false));
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      if (opts.onLine && partial.trim() !== '') opts.onLine(partial);
      resolveCommand({ exitCode: code ?? 137, stdout, output, timedOut });
    });
  });
}
