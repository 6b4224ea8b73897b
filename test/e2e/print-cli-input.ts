// Stands in for the CLI in make-variables.test.ts (make <target> GENLOAD='node --import tsx test/e2e/print-cli-input.ts'):
// prints what the CLI would have received, its arguments and its GENLOAD_FLAG_* environment, as one JSON line.
const flags = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('GENLOAD_FLAG_')));
process.stdout.write(`${JSON.stringify({ argv: process.argv.slice(2), flags })}\n`);
