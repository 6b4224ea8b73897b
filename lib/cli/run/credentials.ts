// Credentials typed into TARGET (http://user:password@host) never travel in a
// URL: the URL is stripped (it lands in config.json, summaries, reports and
// logs) and the pair goes to k6 base64-encoded in its own environment variable,
// which k6 turns into an Authorization: Basic header. Pure.

export interface SplitTarget {
  /** the URL without user info */
  url: string;
  /** base64("user:password"), or undefined when the URL had none */
  basicAuth?: string;
}

export function splitCredentials(url: string): SplitTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { url };
  }
  if (u.username === '' && u.password === '') return { url };
  const pair = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
  u.username = '';
  u.password = '';
  return { url: u.toString().replace(/\/$/, ''), basicAuth: Buffer.from(pair, 'utf8').toString('base64') };
}
