// The one place k6-side code reads the environment. The CLI passes the whole
// resolved config as one JSON value (see lib/shared/run-config.ts); the API key
// travels separately and is only ever placed in request headers.

import type { RunConfig } from '../shared/run-config.ts';

const RUN_CONFIG_ENV = 'GENLOAD_CONFIG';
const API_KEY_ENV = 'GENLOAD_API_KEY';
const BASIC_AUTH_ENV = 'GENLOAD_BASIC_AUTH';

let cached: RunConfig | undefined;

/** The run's config, parsed once per VU. Throws with a clear message when absent or malformed. */
export function readRunConfig(): RunConfig {
  if (cached) return cached;
  const raw = __ENV[RUN_CONFIG_ENV];
  if (raw === undefined || raw === '') {
    throw new Error(
      `${RUN_CONFIG_ENV} is not set: run scenarios through \`make load SCENARIO=<name>\` (or genload load)`,
    );
  }
  try {
    cached = JSON.parse(raw) as RunConfig;
  } catch (err) {
    throw new Error(`${RUN_CONFIG_ENV} is not valid JSON; reason: ${String(err)}`);
  }
  return cached;
}

/** The bearer token for the target, or undefined. Never log or return it in summaries. */
export function readApiKey(): string | undefined {
  const key = __ENV[API_KEY_ENV];
  return key === undefined || key === '' ? undefined : key;
}

/** base64 user:password from credentials the user put in TARGET (the CLI strips them from the URL), or undefined. */
export function readBasicAuth(): string | undefined {
  const v = __ENV[BASIC_AUTH_ENV];
  return v === undefined || v === '' ? undefined : v;
}
