// Absolute paths of the checkout, found from this file's location so commands
// work from any working directory (this file is lib/cli/paths.ts).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
