import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countCpuList, parseCgroupPaths, parseCpuMax, parseCpusAllowed, readCpuAllowance } from './cpu-allowance.ts';

test('cpu lists, Cpus_allowed_list and cpu.max parse', () => {
  assert.equal(countCpuList('0'), 1);
  assert.equal(countCpuList('0-3,6,8-9'), 7);
  assert.equal(countCpuList('3-1'), undefined);
  assert.equal(parseCpusAllowed('Name:\tk6\nCpus_allowed:\t1\nCpus_allowed_list:\t0\n'), '0');
  assert.equal(parseCpuMax('max 100000\n'), undefined);
  assert.deepEqual(parseCpuMax('50000 100000\n'), { quotaUs: 50000, periodUs: 100000 });
  assert.deepEqual(parseCgroupPaths('0::/user.slice/a\n'), { v2: '/user.slice/a' });
  assert.deepEqual(parseCgroupPaths('4:memory:/x\n1:cpu,cpuacct:/docker/abc\n0::/'), {
    v1Cpu: { mount: 'cpu,cpuacct', path: '/docker/abc' },
    v2: '/',
  });
});

test('the allowance is the affinity mask, capped by the tightest cgroup quota up the tree', () => {
  const files: Record<string, string> = {
    '/proc/7/status': 'Cpus_allowed_list:\t0-3\n',
    '/proc/7/cgroup': '0::/pod/k6\n',
    '/sys/fs/cgroup/pod/k6/cpu.max': 'max 100000\n',
    '/sys/fs/cgroup/pod/cpu.max': '150000 100000\n',
  };
  const read = (p: string): string | undefined => files[p];
  const a = readCpuAllowance(7, read);
  assert.equal(a?.cores, 1.5);
  assert.match(a!.limitedBy, /cgroup quota 150000\/100000 µs \(cpu.max of \/pod\)/);
  files['/proc/7/status'] = 'Cpus_allowed_list:\t0\n';
  assert.deepEqual(readCpuAllowance(7, read), { cores: 1, cpusAllowed: '0', limitedBy: 'affinity 0' });
  // v1: cfs quota -1 is unlimited
  files['/proc/7/cgroup'] = '1:cpu,cpuacct:/\n';
  files['/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us'] = '-1\n';
  files['/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us'] = '100000\n';
  files['/proc/7/status'] = 'Cpus_allowed_list:\t0-1\n';
  assert.equal(readCpuAllowance(7, read)?.cores, 2);
  assert.equal(readCpuAllowance(8, read), undefined);
});
