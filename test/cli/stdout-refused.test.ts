/**
 * A stdout that refuses a write, where its reader has not gone: a full disk (ENOSPC, /dev/full), a file
 * past its size limit (EFBIG), a descriptor open only for reading (EBADF). The command fails (exit 1)
 * naming stdout, prints the cursor after the last page written whole, and its cursor file keeps that
 * cursor: the page it was writing, part of which may be in the file, is written again by the next run.
 * A reader gone (EPIPE) is another matter: test/cli/reader-gone-*.test.ts.
 */
import { closeSync, openSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { demoEnv, tinesEmulator } from '../../src/providers/tines/emulator.js';
import type { EmulatorServer } from '../../src/testing/types.js';
import { capture } from '../support/cli-in-process.js';
import { cliWorkspace, exitAndStderr, runCli } from '../support/cli-process.js';

const EVENTS = 600;
const PAGE = 50;

/** Runs the command with `stdout` as its descriptor 1, through `sh -c` when `shell` sets limits first. */
async function runWith(main: string, args: string[], env: Record<string, string>, stdout: number, shell = ''): Promise<{ status: number | null; stderr: string }> {
  const command = shell === '' ? [process.execPath, main, ...args] : ['sh', '-c', `${shell}; exec "$@"`, 'sh', process.execPath, main, ...args];
  return exitAndStderr(command[0] as string, command.slice(1), { env, stdout });
}

describe('tributary whose stdout refuses a write', () => {
  const workspace = cliWorkspace('tributary-stdout-refused-');
  let server: EmulatorServer;
  beforeAll(async () => {
    server = await tinesEmulator.create({ events: EVENTS, seed: 9 }).listen();
  });
  afterAll(() => server.close());

  const ids = (lines: readonly string[]) => lines.map((line) => (JSON.parse(line) as { id: string }).id);
  const resumeLine = /^tributary: (\d+) tines events written before the failure; resume with --cursor (\S+)$/m;

  it.skipIf(process.platform !== 'linux').each([
    ['pull', ['pull', 'tines']],
    ['watch', ['watch', 'tines', '--interval', '1']],
  ])('%s to /dev/full fails with exit 1, naming stdout and ENOSPC, and saves no cursor', async (name, command) => {
    const path = join(workspace.dir, `${name}-full.cursor`);
    const full = openSync('/dev/full', 'w');
    const result = await runWith(workspace.main, [...command, '--page-size', String(PAGE), '--cursor-file', path], demoEnv(server.url), full);
    closeSync(full);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/^tributary: .*stdout.*ENOSPC: no space left on device/m);
    await expect(readFile(path, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it.skipIf(process.platform !== 'linux').each([
    ['--version', ['--version']],
    ['--help', ['--help']],
    ['emulate', ['emulate', 'tines', '--port', '0']],
  ])('%s to /dev/full fails with exit 1, naming stdout, where it exited 0 or served an address nobody was told', async (_name, command) => {
    const full = openSync('/dev/full', 'w');
    const result = await runWith(workspace.main, command, {}, full);
    closeSync(full);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/^tributary: .*stdout.*ENOSPC: no space left on device/m);
  });

  it('a stdout open only for reading fails the command with exit 1, naming stdout and EBADF', async () => {
    const path = join(workspace.dir, 'read-only.cursor');
    const file = join(workspace.dir, 'read-only.out');
    await writeFile(file, '');
    const readOnly = openSync(file, 'r');
    const result = await runWith(workspace.main, ['pull', 'tines', '--page-size', String(PAGE), '--cursor-file', path], demoEnv(server.url), readOnly);
    closeSync(readOnly);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/^tributary: .*stdout.*EBADF/m);
    await expect(readFile(path, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it.skipIf(process.platform !== 'linux')(
    'a file that takes part of a page and then refuses the rest (EFBIG) leaves the cursor before that page, saved and printed',
    async () => {
      const listed = await runCli(workspace.main, ['pull', 'tines', '--page-size', String(PAGE)], demoEnv(server.url), { stop: 'end' });
      const all = ids(listed.lines);
      expect(all).toHaveLength(EVENTS);
      const path = join(workspace.dir, 'limited.cursor');
      const file = join(workspace.dir, 'limited.out');
      const out = openSync(file, 'w');
      // 64 KiB (128 blocks of 512 bytes) takes two pages and part of a third; the signal the limit sends is
      // ignored, as a service manager may set it, so the write past it fails with EFBIG.
      const result = await runWith(workspace.main, ['pull', 'tines', '--page-size', String(PAGE), '--cursor-file', path], demoEnv(server.url), out, 'trap "" XFSZ; ulimit -f 128');
      closeSync(out);
      const written = (await readFile(file, 'utf8')).split('\n').slice(0, -1);
      expect(written.length).toBeGreaterThan(2 * PAGE);
      expect(written.length).toBeLessThan(3 * PAGE);
      expect(result.status, result.stderr).toBe(1);
      expect(result.stderr).toMatch(/^tributary: .*stdout.*EFBIG/m);
      const [, count, cursor] = resumeLine.exec(result.stderr) ?? [];
      expect(count).toBe(String(2 * PAGE));
      expect((await readFile(path, 'utf8')).trim()).toBe(cursor);
      const resumed = await runCli(workspace.main, ['pull', 'tines', '--page-size', String(PAGE), '--cursor-file', path], demoEnv(server.url), { stop: 'end' });
      expect(resumed.status, resumed.stderr).toBe(0);
      expect([...ids(written.slice(0, 2 * PAGE)), ...ids(resumed.lines)]).toEqual(all);
    },
    30_000,
  );

  it('a stream that fails a page with ENOSPC: exit 1, stdout named, the cursor of the page before saved and printed', async () => {
    const path = join(workspace.dir, 'in-process.cursor');
    let pages = 0;
    const stdout = new Writable({
      write(_chunk, _encoding, callback) {
        pages += 1;
        callback(pages === 2 ? Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' }) : null);
      },
    });
    const stderr = capture();
    const io = { stdout, stderr: stderr.stream, env: demoEnv(server.url), signal: new AbortController().signal };
    const code = await run(['pull', 'tines', '--page-size', String(PAGE), '--cursor-file', path], io);
    expect(code, stderr.text()).toBe(1);
    const [, count, cursor] = resumeLine.exec(stderr.text()) ?? [];
    expect(count).toBe(String(PAGE));
    expect((await readFile(path, 'utf8')).trim()).toBe(cursor);
    expect(stderr.text()).toMatch(/^tributary: .*stdout.*ENOSPC: no space left on device/m);
  });
});
