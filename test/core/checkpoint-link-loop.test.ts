/**
 * A checkpoint path in a loop of symbolic links holds no cursor: its load fails with the system's
 * ELOOP, and so must its save. The save followed the loop for 40 links, then renamed its file over the
 * link it had reached, so the save succeeded, one link of the loop became a file, and the
 * documented "a symbolic link is followed, the link kept" was broken.
 */
import { lstat, mkdtemp, readdir, readlink, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileCheckpoint } from '../../src/core/checkpoint.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe.skipIf(process.platform === 'win32')('fileCheckpoint in a loop of symbolic links', () => {
  it.each([[1], [2], [3]])('refuses to save through a loop of %i links, each link kept', async (length) => {
    const dir = await mkdtemp(join(tmpdir(), 'tributary-checkpoint-'));
    dirs.push(dir);
    const links = Array.from({ length }, (_, i) => `link${i}`);
    for (const [i, link] of links.entries()) await symlink(links[(i + 1) % length] as string, join(dir, link));
    const checkpoint = fileCheckpoint(join(dir, 'link0'));
    await expect(checkpoint.load()).rejects.toMatchObject({ code: 'ELOOP' });
    await expect(checkpoint.save('cursor')).rejects.toMatchObject({ code: 'ELOOP' });
    for (const [i, link] of links.entries()) {
      expect((await lstat(join(dir, link))).isSymbolicLink(), link).toBe(true);
      expect(await readlink(join(dir, link))).toBe(links[(i + 1) % length]);
    }
    expect((await readdir(dir)).sort()).toEqual(links);
  });
});
