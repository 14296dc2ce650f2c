/**
 * A stdout that is /dev/null (`> /dev/null`, a service started with stdout closed, `>&-`, which Node
 * reopens as /dev/null, a daemon(3) service): `pull` and `watch` still run and exit 0, as a cursor may be
 * fast-forwarded that way on purpose, but say on stderr, before the first event, that the events are
 * discarded and that the cursor file moves past them. A stdout that keeps what it is given (a file, a
 * pipe, a socket) gets no such line.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEnv, tinesEmulator } from '../../src/providers/tines/emulator.js';
import type { EmulatorServer } from '../../src/testing/types.js';
import { cliWorkspace, exitAndStderr, runCli } from '../support/cli-process.js';

const EVENTS = 120;
const PAGE = 50;

const COMMANDS = [
  ['pull', ['pull', 'tines']],
  // Ended by its limit, after the first page.
  ['watch', ['watch', 'tines', '--interval', '1', '--limit', '1']],
] as const;

/** util-linux's script(1), which gives a command a terminal (a pty) as its stdout. */
const hasScript = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;

const discarded = /^tributary: warning: stdout is \/dev\/null, so the events are discarded(.*)$/m;

describe.skipIf(process.platform === 'win32')('tributary whose stdout is /dev/null', () => {
  const workspace = cliWorkspace('tributary-stdout-null-');
  let server: EmulatorServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    server = await tinesEmulator.create({ events: EVENTS, seed: 4 }).listen();
    env = demoEnv(server.url);
  });
  afterAll(() => server.close());

  /** Runs the command with `stdout` as its descriptor 1. */
  async function runWith(args: readonly string[], stdout: number) {
    return exitAndStderr(process.execPath, [workspace.main, ...args], { env, stdout });
  }

  it.each(COMMANDS)('%s > /dev/null says so on stderr, and that the cursor file moves past the events; exit 0', async (name, command) => {
    const path = join(workspace.dir, `${name}-null.cursor`);
    const nul = openSync('/dev/null', 'w');
    const result = await runWith([...command, '--page-size', String(PAGE), '--cursor-file', path], nul);
    closeSync(nul);
    expect(result.status, result.stderr).toBe(0);
    const [line, rest] = discarded.exec(result.stderr) ?? [];
    expect(line, result.stderr).toBeDefined();
    expect(rest).toBe(`, and the cursor saved to ${path} moves past them`);
    // Before anything else the run says: the count and cursor come after it.
    expect(result.stderr.startsWith(`${line}\n`)).toBe(true);
    // Not refused: a cursor may be moved on this way on purpose.
    expect((await readFile(path, 'utf8')).trim()).toMatch(/^\S+$/);
  });

  it.each(COMMANDS)('%s with stdout closed (>&-, which Node reopens as /dev/null) says so too', async (name, command) => {
    const path = join(workspace.dir, `${name}-closed.cursor`);
    const args = [...command, '--page-size', String(PAGE), '--cursor-file', path];
    const result = await exitAndStderr('sh', ['-c', 'exec "$@" >&-', 'sh', process.execPath, workspace.main, ...args], { env, stdout: 'ignore' });
    expect(result.status, result.stderr).toBe(0);
    expect(discarded.exec(result.stderr)?.[1], result.stderr).toBe(`, and the cursor saved to ${path} moves past them`);
  });

  it('without --cursor-file the line says only that the events are discarded', async () => {
    const nul = openSync('/dev/null', 'w');
    const result = await runWith(['pull', 'tines', '--page-size', String(PAGE)], nul);
    closeSync(nul);
    expect(result.status, result.stderr).toBe(0);
    expect(discarded.exec(result.stderr)?.[1], result.stderr).toBe('');
  });

  it('a stdout that is a file gets no such line', async () => {
    const path = join(workspace.dir, 'file.cursor');
    const file = join(workspace.dir, 'events.ndjson');
    const out = openSync(file, 'w');
    const result = await runWith(['pull', 'tines', '--page-size', String(PAGE), '--cursor-file', path], out);
    closeSync(out);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('/dev/null');
    expect(result.stderr).not.toContain('warning');
    expect((await readFile(file, 'utf8')).split('\n').slice(0, -1)).toHaveLength(EVENTS);
  });

  it.each([['pipe'], ['socket']] as const)('a stdout that is a %s gets no such line', async (output) => {
    const result = await runCli(workspace.main, ['pull', 'tines', '--page-size', String(PAGE)], env, { stop: 'end', output });
    expect(result.status, result.stderr).toBe(0);
    expect(result.lines).toHaveLength(EVENTS);
    expect(result.stderr).not.toContain('/dev/null');
    expect(result.stderr).not.toContain('warning');
  });

  it.skipIf(!hasScript)('a stdout that is a terminal gets no such line', async () => {
    const err = join(workspace.dir, 'tty.stderr');
    const quoted = [process.execPath, workspace.main, 'pull', 'tines', '--page-size', String(PAGE)].map((word) => `'${word}'`).join(' ');
    // stderr to a file, so that it is told apart from the events the terminal shows.
    const result = await exitAndStderr('script', ['-qec', `test -t 1 && ${quoted} 2>'${err}'`, '/dev/null'], { env, stdout: 'ignore' });
    const stderr = await readFile(err, 'utf8');
    expect(result.status, `${result.stderr}${stderr}`).toBe(0);
    expect(stderr).toMatch(/^tributary: \d+ tines events; cursor \S+\n$/);
  });
});
