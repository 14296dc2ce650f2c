/**
 * A command stopped by a signal while its reader is slow: the page being written may sit in the pipe
 * cut in the middle of a line, and exiting then left that half line for the reader, which a loop that
 * restarts the command (`while …; do timeout 300 tributary watch …; done | consumer`) joined to the next
 * run's first line, losing both events to a consumer that parses each line.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEnv, illumioEmulator } from '../../src/providers/illumio/emulator.js';
import type { EmulatorServer } from '../../src/testing/types.js';
import { cliWorkspace } from '../support/cli-process.js';

/** A page far larger than a pipe holds (64 KiB) and the reader's own buffer: its write is under way when the signal comes. */
const PAGE = 1000;

describe('tributary stopped by a signal while a slow reader holds a page', () => {
  const workspace = cliWorkspace('tributary-whole-lines-');
  let server: EmulatorServer;
  beforeAll(async () => {
    server = await illumioEmulator.create({ events: 2 * PAGE, seed: 4 }).listen();
  });
  afterAll(() => server.close());

  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)('on %s writes the line in the pipe whole before it exits, for a reader that reads again soon', async (signal) => {
    const child = spawn(process.execPath, [workspace.main, 'pull', 'illumio', '--page-size', String(PAGE)], {
      env: { ...process.env, ...demoEnv(server.url) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = once(child, 'exit');
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    // The reader takes the first bytes, then stops reading: the rest of the page fills the pipe.
    while (stdout === '' && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 5));
    child.stdout.pause();
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill(signal);
    // The reader reads again a moment later, as a consumer busy with a line does.
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.stdout.resume();
    await exited;
    clearTimeout(killer);
    if (!child.stdout.destroyed) await once(child.stdout, 'close');
    expect(stdout.length, stderr).toBeGreaterThan(0);
    expect(stdout.endsWith('\n'), `the last of ${stdout.length} bytes: ${JSON.stringify(stdout.slice(-80))}`).toBe(true);
    for (const line of stdout.split('\n').slice(0, -1)) expect(() => JSON.parse(line) as unknown).not.toThrow();
  }, 30_000);

  it('on SIGTERM still exits by itself, 143, when its reader never reads again', async () => {
    const child = spawn(process.execPath, [workspace.main, 'pull', 'illumio', '--page-size', String(PAGE)], {
      env: { ...process.env, ...demoEnv(server.url) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    // Far beyond the command's wait for its reader: a command still there by then is killed, and fails.
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    let taken = 0;
    const take = (chunk: Buffer) => (taken += chunk.length);
    child.stdout.on('data', take);
    while (taken === 0 && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 5));
    child.stdout.off('data', take);
    child.stdout.pause();
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill('SIGTERM');
    const [code, signal] = await exited;
    clearTimeout(killer);
    child.stdout.destroy();
    expect({ code, signal }).toEqual({ code: 143, signal: null });
  }, 30_000);
});
