// k6 arguments and environment that stream a run's metrics to Prometheus with
// k6's built-in `experimental-prometheus-rw` output (make load PROMETHEUS_RW=<url>).
// The receiving Prometheus needs --web.enable-remote-write-receiver; its write
// endpoint is <base>/api/v1/write. Every series carries testid=<run id>, so runs
// stay apart in one Prometheus and a distributed run's instances add up. Pure.

export interface RemoteWriteInput {
  /** Prometheus base URL (http://127.0.0.1:9090) or the full write endpoint (.../api/v1/write) */
  url: string;
  /** becomes the testid label of every series */
  runId: string;
  /** how often k6 pushes, seconds (k6's default is 5) */
  pushIntervalS?: number;
  /** Trend aggregates sent per push, k6 syntax; each becomes k6_<metric>_<stat> */
  trendStats?: readonly string[];
  /** send Trends as native histograms instead (Prometheus needs --enable-feature=native-histograms) */
  nativeHistograms?: boolean;
}

export interface K6Extras {
  args: string[];
  /** plain settings: no credential ever lands here */
  env: Record<string, string>;
  /**
   * user:password taken out of the URL, as k6's own variables
   * (K6_PROMETHEUS_RW_USERNAME / _PASSWORD); empty when the URL had none.
   * A local run hands them to k6's environment; a cluster run reads them from a Secret.
   */
  secretEnv: Record<string, string>;
}

/** k6 variables that carry the remote-write credentials (never written into a file or manifest). */
export const RW_USERNAME_ENV = 'K6_PROMETHEUS_RW_USERNAME';
export const RW_PASSWORD_ENV = 'K6_PROMETHEUS_RW_PASSWORD';

export const DEFAULT_TREND_STATS = ['p(50)', 'p(90)', 'p(95)', 'p(99)', 'max', 'count'] as const;

/** http://host:port[/...] -> http://host:port/api/v1/write (a URL already ending in /api/v1/write is kept); user info is dropped. */
export function writeEndpoint(url: string): string {
  return parseWriteUrl(url).endpoint;
}

/** percent-decoded user info; text that does not decode is kept as written */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function parseWriteUrl(url: string): { endpoint: string; username: string; password: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`prometheus-rw: must be an http(s) URL such as http://127.0.0.1:9090, but is '${url}'`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new Error(`prometheus-rw: must use http or https, but is '${url}'`);
  const path = u.pathname.replace(/\/+$/, '');
  u.pathname = path.endsWith('/api/v1/write') ? path : `${path}/api/v1/write`;
  const username = decoded(u.username);
  const password = decoded(u.password);
  u.username = '';
  u.password = '';
  return { endpoint: u.toString(), username, password };
}

export function remoteWriteExtras(input: RemoteWriteInput): K6Extras {
  const { endpoint, username, password } = parseWriteUrl(input.url);
  const secretEnv: Record<string, string> = {};
  if (username !== '' || password !== '')
    Object.assign(secretEnv, { [RW_USERNAME_ENV]: username, [RW_PASSWORD_ENV]: password });
  const env: Record<string, string> = {
    K6_PROMETHEUS_RW_SERVER_URL: endpoint,
    K6_PROMETHEUS_RW_PUSH_INTERVAL: `${input.pushIntervalS ?? 5}s`,
  };
  if (input.nativeHistograms === true) env['K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM'] = 'true';
  else env['K6_PROMETHEUS_RW_TREND_STATS'] = (input.trendStats ?? DEFAULT_TREND_STATS).join(',');
  return { args: ['--out', 'experimental-prometheus-rw', '--tag', `testid=${input.runId}`], env, secretEnv };
}
