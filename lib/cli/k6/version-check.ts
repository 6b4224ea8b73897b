// Decides whether an existing k6 binary is the pinned one: `k6 version --json`
// must report the pinned version and our extension's module with its import.

import { z } from 'zod';

const versionJsonSchema = z.object({
  version: z.string(),
  extensions: z
    .array(z.object({ module: z.string(), version: z.string().optional(), imports: z.array(z.string()).optional() }))
    .optional(),
});

export interface K6VersionInfo {
  /** e.g. "v1.8.1" */
  version: string;
  extensions: Array<{ module: string; version: string; imports: string[] }>;
}

/** Parses the stdout of `k6 version --json`; null when it is not that JSON (e.g. a k6 too old to know --json). */
export function parseVersionJson(stdout: string): K6VersionInfo | null {
  let json: unknown;
  try {
    json = JSON.parse(stdout.trim());
  } catch {
    return null;
  }
  const parsed = versionJsonSchema.safeParse(json);
  if (!parsed.success) return null;
  const version = parsed.data.version.startsWith('v') ? parsed.data.version : `v${parsed.data.version}`;
  return {
    version,
    extensions: (parsed.data.extensions ?? []).map((e) => ({
      module: e.module,
      version: e.version ?? '',
      imports: e.imports ?? [],
    })),
  };
}

export interface Wanted {
  k6: string;
  extension: { module: string; imports: readonly string[] };
}

/** null when the binary fits, else one lowercase sentence saying why it does not. */
export function mismatch(info: K6VersionInfo | null, wanted: Wanted): string | null {
  if (info === null) return 'its `k6 version --json` output could not be read';
  if (info.version !== wanted.k6) return `it is k6 ${info.version}, but ${wanted.k6} is pinned`;
  const ext = info.extensions.find((e) => e.module === wanted.extension.module);
  if (ext === undefined) {
    const have = info.extensions.map((e) => e.module).join(', ') || 'none';
    return `it lacks the extension ${wanted.extension.module} (extensions: ${have})`;
  }
  const missing = wanted.extension.imports.filter((i) => !ext.imports.includes(i));
  if (missing.length > 0)
    return `its ${ext.module} does not register ${missing.join(', ')} (an older build of genload's extension?)`;
  return null;
}
