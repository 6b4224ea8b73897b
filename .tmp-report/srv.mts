import { startManagedServer } from '../lib/cli/run/managed-server.ts';
const s = await startManagedServer({ engine: 'sim', logPath: '/tmp/gl/srv.log' });
console.log(s.url, s.pid);
const m = await (await fetch(`${s.url}/metrics`)).text();
console.log(m.split('\n').filter(l => /batch_size_(sum|count)|num_requests|generation_tokens/.test(l)).join('\n'));
console.log(await s.stop());
