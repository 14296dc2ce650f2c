/**
 * A symbolic link's relative target is read from the folder the link really is in, as the system reads
 * it. Reached through a linked folder (`~/.tributary` on a volume), a link to `../x` was read from the
 * folder as named, so the save wrote one file and the load, following the link as the system does, read
 * another: a missing one, and the next run started the listing over.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileCheckpoint } from '../../src/core/checkpoint.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe.skipIf(process.platform === 'win32')('fileCheckpoint through a linked folder', () => {
  it('saves where its link leads from the folder it really is in, and loads it back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tributary-checkpoint-'));
    dirs.push(dir);
    await mkdir(join(dir, 'volume', 'state'), { recursive: true });
    await symlink(join(dir, 'volume', 'state'), join(dir, 'state'));
    await symlink('../shared.cursor', join(dir, 'volume', 'state', 'c'));
    const checkpoint = fileCheckpoint(join(dir, 'state', 'c'));
    await checkpoint.save('one');
    expect(await readFile(join(dir, 'volume', 'shared.cursor'), 'utf8')).toBe('one\n');
    expect(await fileCheckpoint(join(dir, 'state', 'c')).load()).toBe('one');
    expect((await readdir(dir)).sort()).toEqual(['state', 'volume']);
  });
});
