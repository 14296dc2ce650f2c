/**
 * A cursor reaches `--cursor` as text a shell or another tool carried: pasted with CRLF, read from a
 * file another tool wrote (`--cursor "$(cat f)"` keeps a `\r`), indented. Cursors are base64url, never
 * whitespace, so the whitespace around one is taken off, as the cursor file's load does; a value that
 * is nothing but whitespace is refused as a mistake in the command line.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEnv, tinesEmulator } from '../../src/providers/tines/emulator.js';
import type { EmulatorServer } from '../../src/testing/types.js';
import { cliInProcess as cli } from '../support/cli-in-process.js';

describe('tributary --cursor with whitespace around it', () => {
  const emulator = tinesEmulator.create({ events: 25, seed: 5 });
  let server: EmulatorServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  /** The cursor after the first page, and what a pull from it writes. */
  let cursor: string;
  let rest: string;

  beforeAll(async () => {
    server = await emulator.listen();
    dir = await mkdtemp(join(tmpdir(), 'tributary-cursor-space-'));
    env = demoEnv(server.url);
    const first = await cli(['pull', 'tines', '--page-size', '10', '--limit', '10'], env);
    cursor = /; cursor (\S+)\n/.exec(first.stderr)?.[1] as string;
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    rest = (await cli(['pull', 'tines', '--cursor', cursor], env)).stdout;
    expect(rest.trim().split('\n')).toHaveLength(15);
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['a newline after it', (c: string) => `${c}\n`],
    ['CRLF after it', (c: string) => `${c}\r\n`],
    ['spaces and a tab around it', (c: string) => ` \t${c}  `],
  ])('resumes from a cursor with %s', async (_, spaced) => {
    const resumed = await cli(['pull', 'tines', '--cursor', spaced(cursor)], env);
    expect(resumed.stderr).not.toMatch(/Error/);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toBe(rest);
  });

  it('resumes from a cursor file written with CRLF and spaces', async () => {
    const file = join(dir, 'crlf.cursor');
    await writeFile(file, `  ${cursor}\r\n`);
    const resumed = await cli(['pull', 'tines', '--cursor-file', file], env);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toBe(rest);
  });

  it.each([[''], [' '], ['\r\n'], ['\t \n']])('refuses %j as a usage error naming --cursor, before any request', async (blank) => {
    const before = emulator.requests.length;
    const refused = await cli(['pull', 'tines', `--cursor=${blank}`], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^tributary: --cursor is empty/);
    expect(emulator.requests.length).toBe(before);
  });
});
