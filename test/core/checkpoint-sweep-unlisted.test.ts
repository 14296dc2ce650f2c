/**
 * The first save's sweep of the temporary files a killed save left, in a folder that cannot be listed
 * (a folder its owner may write in but not read, `chmod 300`; a listing the system fails for a moment,
 * EMFILE or EIO). The sweep only tidies: its failure fails no save that would succeed, and hides no
 * error of a save that fails, which is the save's own. A listing that failed is tried again at the next
 * save, where it was taken for done and a killed save's file stayed for the life of the checkpoint.
 * Root lists any folder whatever its mode, so the listing's failure is injected.
 */
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fileCheckpoint } from '../../src/core/checkpoint.js';

/** The code the next listings of a folder fail with, one a listing; none left, they list it. */
const failures: string[] = [];
/** The folder whose temporary file's creation fails, as a save's in a folder that refuses it. */
let refusing: string | undefined;

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    // The checkpoint's listing, and the test's, are of a folder's names.
    readdir: async (folder: string): Promise<string[]> => {
      const code = failures.shift();
      if (code !== undefined) throw Object.assign(new Error(`${code}: injected, scandir '${folder}'`), { code, syscall: 'scandir' });
      return actual.readdir(folder);
    },
    open: async (...args: Parameters<typeof actual.open>) => {
      const path = String(args[0]);
      if (refusing !== undefined && path.startsWith(refusing) && path.endsWith('.tmp')) {
        throw Object.assign(new Error(`EIO: injected, open '${path}'`), { code: 'EIO', syscall: 'open', path });
      }
      return actual.open(...args);
    },
  };
});

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tributary-sweep-'));
});
afterEach(async () => {
  failures.length = 0;
  refusing = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** A temporary file a save killed an hour ago left beside `path`. */
async function leftover(path: string): Promise<string> {
  const file = `${path}.4242.01234567-89ab-cdef-0123-456789abcdef.tmp`;
  await writeFile(file, 'cut short\n');
  const hourAgo = new Date(Date.now() - 3_600_000);
  await utimes(file, hourAgo, hourAgo);
  return file;
}

describe('the sweep of a folder that cannot be listed', () => {
  it.each(['EACCES', 'EMFILE', 'EIO'])('fails no save that would succeed (%s)', async (code) => {
    const path = join(dir, 'pce.cursor');
    failures.push(code);
    const checkpoint = fileCheckpoint(path);
    await checkpoint.save('cursor-1');
    expect(await readFile(path, 'utf8')).toBe('cursor-1\n');
    expect(await checkpoint.load()).toBe('cursor-1');
  });

  it("hides no error of a save that fails: the save's own reaches its caller", async () => {
    const path = join(dir, 'pce.cursor');
    failures.push('EACCES');
    refusing = dir;
    await expect(fileCheckpoint(path).save('cursor-1')).rejects.toMatchObject({ code: 'EIO', syscall: 'open' });
  });

  it('is tried again at the next save after a listing that failed, and removes what a killed save left', async () => {
    const path = join(dir, 'pce.cursor');
    const left = await leftover(path);
    failures.push('EMFILE');
    const checkpoint = fileCheckpoint(path);
    await checkpoint.save('cursor-1');
    expect((await readdir(dir)).sort()).toEqual(['pce.cursor', left.slice(dir.length + 1)].sort());
    await checkpoint.save('cursor-2');
    expect(await readdir(dir)).toEqual(['pce.cursor']);
  });

  it('is made once a listing succeeds: a later save lists the folder no more', async () => {
    const path = join(dir, 'pce.cursor');
    const checkpoint = fileCheckpoint(path);
    await checkpoint.save('cursor-1');
    const left = await leftover(path);
    await checkpoint.save('cursor-2');
    expect((await readdir(dir)).sort()).toEqual(['pce.cursor', left.slice(dir.length + 1)].sort());
  });
});
