/**
 * Runs a script of the benchmark in a fresh Node process and collects what it prints, so that memory
 * and import times are measured without the benchmark's own heap and module cache.
 */
import { spawn } from 'node:child_process';

export interface ChildResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** @default 600_000 */
  timeoutMs?: number;
}

export function runNode(node: string, args: readonly string[], options: RunOptions = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
  });
}

/** The last line of a child's output, parsed as JSON; a failed child is an error with its stderr. */
export function lastJsonLine<T>(result: ChildResult, what: string): T {
  const line = result.stdout.trim().split('\n').at(-1);
  if (result.code !== 0 || line === undefined || line === '') {
    throw new Error(`${what} failed (exit ${String(result.code)}): ${result.stderr.trim().slice(-2000)}`);
  }
  return JSON.parse(line) as T;
}
