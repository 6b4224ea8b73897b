// The one error k6 provisioning throws, and the pure diagnosis of Go's and
// xk6's output that picks its message. main.ts maps it to ExitCode.K6Unavailable.

import { ExitCode } from '../../shared/exit-codes.ts';
import { GenloadError } from '../errors.ts';

/** Why provisioning failed; stable strings, safe to match on in tests and logs. */
export type K6ProvisionReason = 'go_missing' | 'go_too_old' | 'proxy_unavailable' | 'build_failed' | 'lock_timeout';

export class K6ProvisionError extends GenloadError {
  /** stable code shared by every provisioning failure */
  readonly code = 'k6_unavailable';
  constructor(
    readonly reason: K6ProvisionReason,
    message: string,
    /** full log of the failed step, when there is one */
    readonly logPath?: string,
  ) {
    super(message, ExitCode.K6Unavailable);
    this.name = 'K6ProvisionError';
  }
}

const GO_HELP =
  'install Go (Debian: `apt-get install golang`, or a release from https://go.dev/dl/) and make sure `go` is on PATH';

export function goMissingError(goMin: string): K6ProvisionError {
  return new K6ProvisionError(
    'go_missing',
    `building k6 needs Go >= ${goMin}, but no \`go\` command was found; ${GO_HELP}`,
  );
}

/** "go version go1.26.8 linux/amd64" -> [1, 26]; null when unreadable. */
export function parseGoVersion(output: string): [number, number] | null {
  const m = /\bgo(\d+)\.(\d+)/.exec(output);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

/** null when `go version` output satisfies goMin ("1.25"), else the error to throw. */
export function checkGoVersion(output: string, goMin: string): K6ProvisionError | null {
  const have = parseGoVersion(output);
  const [minMajor = 0, minMinor = 0] = goMin.split('.').map(Number);
  if (have !== null && (have[0] > minMajor || (have[0] === minMajor && have[1] >= minMinor))) return null;
  const seen = have ? `go${have[0]}.${have[1]}` : JSON.stringify(output.trim());
  return new K6ProvisionError(
    'go_too_old',
    `building k6 needs Go >= ${goMin}, but \`go version\` reports ${seen}; ${GO_HELP}`,
  );
}

/** The last n non-empty lines of a log, for error messages. */
export function tailLines(log: string, n: number): string[] {
  return log
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .slice(-n);
}

// A module fetch that failed at the proxy: go prints "<module>@<version>: <what>: <why>",
// and <why> is an HTTP refusal (403/404/410) or no route to the proxy.
const MODULE_LINE = /([\w.\-~/]+)@(v[\w.\-+]+): .*/;
const PROXY_STATUS =
  /\b(403 Forbidden|404 Not Found|410 Gone|not available|dial tcp|proxyconnect|no such host|i\/o timeout|connection refused|TLS handshake timeout)\b/;

/** When a build log shows a failed module download: which module and the offending line. */
export function findProxyFailure(log: string): { module: string; line: string } | null {
  for (const line of log.split(/\r?\n/)) {
    const m = MODULE_LINE.exec(line);
    if (m && PROXY_STATUS.test(line)) return { module: `${m[1]}@${m[2]}`, line: m[0].trim() };
  }
  return null;
}

/** The error for a failed `go`/`xk6` step, from its log text. */
export function buildFailure(step: string, log: string, logPath: string, goproxy: string): K6ProvisionError {
  const proxy = findProxyFailure(log);
  if (proxy !== null) {
    return new K6ProvisionError(
      'proxy_unavailable',
      `${step} failed; reason: the Go module proxy did not serve ${proxy.module} (GOPROXY=${goproxy || '(unset)'}): ${proxy.line}; ` +
        `check network access to the proxy or set GOPROXY; full log: ${logPath}`,
      logPath,
    );
  }
  const tail = tailLines(log, 15)
    .map((l) => `    ${l}`)
    .join('\n');
  return new K6ProvisionError('build_failed', `${step} failed; last lines of ${logPath}:\n${tail}`, logPath);
}
