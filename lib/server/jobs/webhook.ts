// Job webhooks: only to hosts on the allowlist (loopback by default), checked
// at submission; redirects are not followed (a redirect could leave the
// allowlist); each attempt has a timeout and the attempts are bounded.
import { HttpError } from '../http/errors.ts';

/** the host of an http(s) URL without IPv6 brackets, lower-cased */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

/** throws HttpError 400 unless url is http(s) to an allowlisted host */
export function checkWebhookUrl(raw: string, allowlist: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new HttpError(400, 'invalid_webhook_url', `webhook_url: must be an absolute http(s) URL, but is ${JSON.stringify(raw)}`, 'webhook_url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HttpError(400, 'invalid_webhook_url', `webhook_url: protocol must be http or https, but is ${JSON.stringify(url.protocol)}`, 'webhook_url');
  }
  const allowed = allowlist.map((h) => h.replace(/^\[(.*)\]$/, '$1').toLowerCase());
  if (!allowed.includes(hostOf(url))) {
    throw new HttpError(400, 'webhook_host_not_allowed', `webhook_url: host ${JSON.stringify(hostOf(url))} is not on the allowlist (${allowed.join(', ') || 'empty'})`, 'webhook_url');
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
export async function deliverWebhook(url: string, payload: unknown, options: { attempts?: number; timeoutMs?: number; backoffMs?: number } = {}): Promise<DeliveryOutcome> {
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
