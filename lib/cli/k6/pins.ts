// The pinned versions of the k6 build (build/k6-versions.json), validated once.

import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { repoRoot } from '../paths.ts';

const semverTag = z.string().regex(/^v\d+\.\d+\.\d+$/, 'must look like v1.2.3');

const pinsSchema = z
  .object({
    '//': z.string().optional(),
    k6: semverTag,
    xk6: semverTag,
    /** oldest Go release that builds this k6 (k6's go.mod `go` line), as "major.minor" */
    goMin: z.string().regex(/^\d+\.\d+$/, 'must look like 1.25'),
    extension: z
      .object({
        /** Go module path, as `k6 version --json` reports it */
        module: z.string().min(1),
        /** source folder, relative to the repository root */
        dir: z.string().min(1),
        /** the JS modules the extension registers; the first names the cache entry */
        imports: z.array(z.string().startsWith('k6/x/')).min(1),
      })
      .strict(),
  })
  .strict();

export type K6Pins = z.infer<typeof pinsSchema> & {
  /** absolute path of the extension's source folder */
  readonly extensionDir: string;
};

export const PINS_FILE = join(repoRoot, 'build', 'k6-versions.json');

export function parsePins(json: unknown, root: string): K6Pins {
  const parsed = pinsSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`);
    throw new Error(`build/k6-versions.json is invalid: ${problems.join('; ')}`);
  }
  const pins = parsed.data;
  const extensionDir = isAbsolute(pins.extension.dir) ? pins.extension.dir : join(root, pins.extension.dir);
  return Object.freeze({ ...pins, extensionDir });
}

export function loadPins(file = PINS_FILE, root = repoRoot): K6Pins {
  return parsePins(JSON.parse(readFileSync(file, 'utf8')), root);
}
