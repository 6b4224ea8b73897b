// Job webhooks: only to URLs under an allowlisted prefix (scheme, host AND port,
// optionally a path), checked at submission; the default allowlist is empty, so
// webhooks are off until the operator names where they may go. Redirects are
// not followed (a redirect could leave the allowlist); each attempt has a
// timeout and the attempts are bounded.
import { HttpError } from '../http/errors.ts';

/** one allowlist entry, parsed: the URL must have this scheme, host and port, and a path under pathPrefix */
export interface WebhookPrefix {
  readonly protocol: string;
  readonly host: string;
  readonly port: string;
  readonly pathPrefix: string;
  readonly text: string;
}

/** the host of an http(s) URL without IPv6 brackets, lower-cased */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

/** the port a request to this URL goes to (URL drops the scheme's default port) */
function portOf(url: URL): string {
  return url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
}

/**
 * Parses an allowlist entry "http(s)://host:port[/path]"; returns a rule text
 * when it is not one. A bare host (the old format) is refused: it would allow every port.
 */
export function parseWebhookPrefix(text: string): WebhookPrefix | { rule: string } {
  const rule = 'must be an http(s) URL prefix naming host and port, e.g. http://127.0.0.1:9000/hooks';
  if (!/^https?:\/\//i.test(text)) return { rule };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { rule };
  }
  if (url.hostname === '' || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '')
    return { rule: `${rule} (no user info, query or fragment)` };
  // the port is written out, even the scheme's own (https://hooks.example:443): an entry never means "any port"
  if (!/^https?:\/\/(\[[^\]]*\]|[^/:?#@]*):\d+(\/|$)/i.test(text))
    return { rule: `${rule} (write the port, e.g. https://hooks.example:443)` };
  return { protocol: url.protocol, host: hostOf(url), port: portOf(url), pathPrefix: url.pathname, text };
}

/** true when the path is the prefix itself or lies below it (segment-wise: /hooks allows /hooks/a, not /hooksX) */
function underPrefix(path: string, prefix: string): boolean {
  if (prefix === '/' || path === prefix) return true;
  return path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
}

/** throws HttpError 400 unless url is http(s) under an allowlisted prefix (same scheme, host and port) */
export function checkWebhookUrl(raw: string, allowlist: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new HttpError(
      400,
      'invalid_webhook_url',
      `webhook_url: must be an absolute http(s) URL, but is ${JSON.stringify(raw)}`,
      'webhook_url',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HttpError(
      400,
      'invalid_webhook_url',
      `webhook_url: protocol must be http or https, but is ${JSON.stringify(url.protocol)}`,
      'webhook_url',
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new HttpError(
      400,
      'invalid_webhook_url',
      `webhook_url: must not carry user info, but is ${JSON.stringify(raw)}`,
      'webhook_url',
    );
  }
  const prefixes = allowlist.map(parseWebhookPrefix).filter((p): p is WebhookPrefix => 'host' in p);
  if (prefixes.length === 0) {
    throw new HttpError(
      400,
      'webhook_host_not_allowed',
      `webhook_url: must match the server's webhook allowlist, which is empty (webhooks are off; start the server with --webhook-allowlist http://host:port[/path]), but is ${JSON.stringify(raw)}`,
      'webhook_url',
    );
  }
  const ok = prefixes.some(
    (p) =>
      p.protocol === url.protocol &&
      p.host === hostOf(url) &&
      p.port === portOf(url) &&
      underPrefix(url.pathname, p.pathPrefix),
  );
  if (!ok) {
    throw new HttpError(
      400,
      'webhook_host_not_allowed',
      `webhook_url: must start with an allowlisted URL prefix (${prefixes.map((p) => p.text).join(', ')}), but is ${JSON.stringify(raw)}`,
      'webhook_url',
    );
  }
  return url;
}

export interface DeliveryOutcome {
  readonly delivered: boolean;
  readonly attempts: number;
  readonly status?: number;
  readonly error?: string;
}

/** POSTs the JSON payload; retries on network errors and 5xx, at most `attempts` times */
export async function deliverWebhook(
  url: string,
  payload: unknown,
  options: { attempts?: number; timeoutMs?: number; backoffMs?: number } = {},
): Promise<DeliveryOutcome> {
  const attempts = options.attempts ?? 3;
  let last: DeliveryOutcome = { delivered: false, attempts: 0 };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
      await res.arrayBuffer();
      last = { delivered: res.status >= 200 && res.status < 300, attempts: attempt, status: res.status };
      if (res.status < 500) return last;
    } catch (err) {
      last = { delivered: false, attempts: attempt, error: (err as Error).message };
    }
    if (attempt < attempts) await new Promise((r) => setTimeout(r, (options.backoffMs ?? 200) * attempt));
  }
  return last;
}
