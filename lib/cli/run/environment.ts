// The environment a run happened in, for reproducibility: versions of every
// component, the machine, and (for the reference server) the execution provider.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem, platform, release } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../paths.ts';

function packageVersion(dir: string): string | null {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

function gpuModel(): string | null {
  try {
    return (
      execFileSync('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], {
        encoding: 'utf8',
        timeout: 3000,
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim() || null
    );
  } catch {
    return null;
  }
}

export interface RunEnvironment {
  genload: string | null;
  k6: string;
  node: string;
  onnxruntime: string | null;
  os: string;
  cpuModel: string;
  cpuCount: number;
  memoryBytes: number;
  gpu: string | null;
}

export function describeEnvironment(k6Version: string): RunEnvironment {
  const cpu = cpus();
  return {
    genload: packageVersion(repoRoot),
    k6: k6Version,
    node: process.version,
    onnxruntime: packageVersion(join(repoRoot, 'node_modules', 'onnxruntime-node')),
    os: `${platform()} ${release()}`,
    cpuModel: cpu[0]?.model ?? 'unknown',
    cpuCount: cpu.length,
    memoryBytes: totalmem(),
    gpu: gpuModel(),
  };
}
