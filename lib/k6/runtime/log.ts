// k6 provides `console` as a global; the k6 type environment (no DOM lib) does
// not declare it, so it is declared once here.
declare const console: { warn(...args: unknown[]): void };

export function warn(line: string): void {
  console.warn(line);
}
