/**
 * What a run prints at its end and writes to `bench/results.json`: the machine, the command, every
 * scenario's figures and the targets.
 */
import { cpus, totalmem } from 'node:os';
import type { TargetCheck } from './targets.js';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  date: string;
  command: string;
}

export function machine(argv: readonly string[]): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
    command: ['npm run bench', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' '),
  };
}

export function formatTargets(checks: readonly TargetCheck[]): string[] {
  const width = Math.max(...checks.map((check) => check.target.length), 10);
  return checks.map(
    (check) => `  ${check.met ? 'met   ' : 'MISSED'} ${check.target.padEnd(width)}  ${check.measured}  (goal ${check.goal}, ${check.margin})`,
  );
}
