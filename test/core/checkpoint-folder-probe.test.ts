/**
 * The check made before a listing's first request that a save of the checkpoint can succeed: a file is
 * created in its folder, named as a save's temporary file, and removed. It leaves the folder as it found
 * it, the cursor file in it untouched, and refuses a folder that holds no file with the typed error of
 * a checkpoint that can hold no cursor.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareCheckpointFolder } from '../../src/core/checkpoint.js';
import { CursorError } from '../../src/core/errors.js';

describe('prepareCheckpointFolder', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tributary-probe-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('leaves an empty folder empty', async () => {
    await prepareCheckpointFolder(join(dir, 'pce.cursor'));
    expect(await readdir(dir)).toEqual([]);
  });

  it('makes a missing folder and leaves nothing in it', async () => {
    await prepareCheckpointFolder(join(dir, 'a', 'b', 'pce.cursor'));
    expect(await readdir(join(dir, 'a', 'b'))).toEqual([]);
  });

  it('leaves the cursor file there, and the folder, as they were', async () => {
    const path = join(dir, 'pce.cursor');
    await writeFile(path, 'saved-cursor\n', { mode: 0o600 });
    const before = await stat(path);
    await prepareCheckpointFolder(path);
    expect(await readdir(dir)).toEqual(['pce.cursor']);
    expect(await readFile(path, 'utf8')).toBe('saved-cursor\n');
    expect((await stat(path)).ino).toBe(before.ino);
  });

  it('probes the folder a symbolic link leads to, leaving both folders as they were', async () => {
    await mkdir(join(dir, 'volume'));
    await writeFile(join(dir, 'volume', 'pce.cursor'), 'saved-cursor\n');
    await symlink(join('volume', 'pce.cursor'), join(dir, 'pce.cursor'));
    await prepareCheckpointFolder(join(dir, 'pce.cursor'));
    expect((await readdir(dir)).sort()).toEqual(['pce.cursor', 'volume']);
    expect(await readdir(join(dir, 'volume'))).toEqual(['pce.cursor']);
    expect(await readFile(join(dir, 'pce.cursor'), 'utf8')).toBe('saved-cursor\n');
  });

  // procfs and sysfs let nobody, root included, create a file in these folders.
  it.skipIf(process.platform !== 'linux').each([
    ['/proc/self/cursor', 'ENOENT'],
    ['/sys/kernel/cursor', 'EACCES'],
  ])('refuses %s, naming it, with the system code as its cause', async (path, code) => {
    const error = await prepareCheckpointFolder(path).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(CursorError);
    expect(error).toMatchObject({ reason: 'checkpoint' });
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toMatch(/cannot be saved: no file can be created in its folder/);
    expect(((error as Error).cause as NodeJS.ErrnoException).code).toBe(code);
  });
});
