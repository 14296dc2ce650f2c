/**
 * A checkpoint path that names a directory (a volume mounted where the file goes, a path missing its
 * file name) is refused with the typed error of a checkpoint that holds no cursor, naming the path,
 * Node's own error kept as `cause`: not a bare `EISDIR` that says neither which file nor what to do.
 */
import { mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileCheckpoint } from '../../src/core/checkpoint.js';
import { CursorError, isCursorError } from '../../src/core/errors.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tributary-checkpoint-'));
  dirs.push(dir);
  return dir;
}

function expectDirectoryRefused(error: unknown, path: string): void {
  expect(error).toBeInstanceOf(CursorError);
  expect(isCursorError(error)).toBe(true);
  expect(error).toMatchObject({ reason: 'checkpoint' });
  expect((error as Error).message).toContain(path);
  expect((error as Error).message).toMatch(/is a directory/);
  expect(((error as Error).cause as NodeJS.ErrnoException).code).toBe('EISDIR');
}

describe.skipIf(process.platform === 'win32')('fileCheckpoint on a directory', () => {
  it('load() refuses it with a CursorError naming the path', async () => {
    const path = join(await folder(), 'state');
    await mkdir(path);
    const error = await fileCheckpoint(path).load().catch((e: unknown) => e);
    expectDirectoryRefused(error, path);
  });

  it('load() refuses a symbolic link to a directory, naming the path it was given', async () => {
    const dir = await folder();
    await mkdir(join(dir, 'volume'));
    const path = join(dir, 'cursor');
    await symlink(join(dir, 'volume'), path);
    const error = await fileCheckpoint(path).load().catch((e: unknown) => e);
    expectDirectoryRefused(error, path);
  });

  it('save() refuses it with a CursorError naming the path, the directory left as it was', async () => {
    const dir = await folder();
    const path = join(dir, 'state');
    await mkdir(path);
    const checkpoint = fileCheckpoint(path);
    const error = await checkpoint.save('cursor').catch((e: unknown) => e);
    expectDirectoryRefused(error, path);
    expect(await readdir(dir)).toEqual(['state']);
    expect(await readdir(path)).toEqual([]);
    // The directory removed, the same checkpoint saves.
    await rm(path, { recursive: true });
    await checkpoint.save('cursor');
    expect(await checkpoint.load()).toBe('cursor');
  });
});
