// The CLI's few error classes, each with a stable exit code (lib/shared/exit-codes.ts).
// main.ts is the one place that turns them into a message on stderr and an exit status.

import { ExitCode, type ExitCodeValue } from '../shared/exit-codes.ts';

export class GenloadError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
  ) {
    super(message);
    this.name = 'GenloadError';
  }
}

/** Every configuration problem found, reported at once. */
export class ConfigError extends GenloadError {
  constructor(readonly problems: readonly string[]) {
    super(
      `invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      ExitCode.ConfigInvalid,
    );
    this.name = 'ConfigError';
  }
}

export class TargetUnreachableError extends GenloadError {
  constructor(message: string) {
    super(message, ExitCode.TargetUnreachable);
    this.name = 'TargetUnreachableError';
  }
}

export class ServerStartError extends GenloadError {
  constructor(message: string) {
    super(message, ExitCode.ServerFailed);
    this.name = 'ServerStartError';
  }
}
