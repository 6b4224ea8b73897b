// Which hosts only this machine reaches: one rule for the reference server's
// listen address and the CLI's target check.

/** 127.0.0.0/8, ::1 (bracketed or not) and localhost, in any case */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}
