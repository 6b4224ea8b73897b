// Credentials typed into TARGET (http://user:password@host) never travel in a
// URL: the URL is stripped (it lands in config.json, summaries, reports and
// logs) and the pair goes to k6 base64-encoded in its own environment variable,
// which k6 turns into an Authorization: Basic header. Pure.

import { API_KEY_ENV, BASIC_AUTH_ENV } from '../../shared/run-config.ts';
import { authorizationHeader } from '../../shared/targets/apis.ts';

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

/** Credentials in a URL (user:password@) never reach a file. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username !== '' || u.password !== '') {
      u.username = 'REDACTED';
      u.password = '';
    }
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

/** Secrets for the target; they travel to k6 in their own variables and never reach a file. */
export interface Credentials {
  /** GENLOAD_API_KEY: sent as Authorization: Bearer */
  readonly apiKey?: string;
  /** base64("user:password") from TARGET's user info: sent as Authorization: Basic */
  readonly basicAuth?: string;
}

/** The Authorization header genload's own requests to the target carry (model list, post-run captures). */
export function authHeaders(c: Credentials): Record<string, string> {
  return authorizationHeader(c.apiKey, c.basicAuth);
}

/** The variables that carry the credentials to k6 (lib/k6/config.ts reads them). */
export function credentialEnv(c: Credentials): Record<string, string> {
  return {
    ...(c.apiKey !== undefined ? { [API_KEY_ENV]: c.apiKey } : {}),
    ...(c.basicAuth !== undefined ? { [BASIC_AUTH_ENV]: c.basicAuth } : {}),
  };
}
