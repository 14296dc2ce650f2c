/**
 * A checkpoint whose folder the system refuses (sysfs, where nobody, root included, may make a folder
 * or a file; a file standing where a folder of the path goes) fails its check before a listing and its
 * save with the typed error of a checkpoint that can hold no cursor: the path named, what was refused
 * said, the system's error kept as its `cause`. They failed with Node's error itself (`EPERM:
 * operation not permitted, mkdir '/sys/tributary'`), which said neither which checkpoint nor why.
 * A read-only mount and a full disk, which a test cannot make, answer the temporary file's creation by
 * injection: in a folder named `refuses-EROFS`, the creation fails with EROFS.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fileCheckpoint, prepareCheckpointFolder } from '../../src/core/checkpoint.js';
import { CursorError } from '../../src/core/errors.js';

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    open: async (...args: Parameters<typeof actual.open>) => {
      const path = String(args[0]);
      const code = /\/refuses-(E[A-Z]+)\/[^/]+\.tmp$/.exec(path)?.[1];
      if (code !== undefined) throw Object.assign(new Error(`${code}: injected, open '${path}'`), { code, syscall: 'open', path });
      return actual.open(...args);
    },
  };
});

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tributary-refused-'));
  await writeFile(join(dir, 'file'), 'not a folder\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function refusal(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(CursorError);
  return error as Error;
}

/** A path (in a temporary folder, unless absolute), the code the system answers for it, what the message says. */
const cases: Array<[string, string, RegExp]> = [
  ['file/cursor', 'EEXIST', /its folder \S+file cannot be made: a file stands where a folder of its path goes/],
  ['file/sub/cursor', 'ENOTDIR', /its folder \S+sub cannot be made: a file stands where a folder of its path goes/],
  // sysfs lets nobody, root included, make a folder.
  ...(process.platform === 'linux'
    ? ([
        ['/sys/tributary/cursor', 'EPERM', /its folder \/sys\/tributary cannot be made: not permitted/],
        ['/sys/kernel/tributary/cursor', 'EPERM', /its folder \/sys\/kernel\/tributary cannot be made: not permitted/],
      ] as Array<[string, string, RegExp]>)
    : []),
];
const pathOf = (name: string) => (name.startsWith('/') ? name : join(dir, name));

describe('a checkpoint whose folder the system refuses', () => {
  it.each(cases)('%s is refused before a listing, naming it, the system code %s its cause', async (name, code, why) => {
    const path = pathOf(name);
    const error = await refusal(prepareCheckpointFolder(path));
    expect(error).toMatchObject({ reason: 'checkpoint' });
    expect(error.message).toContain(`the checkpoint file ${path} cannot be saved`);
    expect(error.message).toMatch(why);
    expect((error.cause as NodeJS.ErrnoException).code).toBe(code);
  });

  it.each(cases)('%s fails a save the same way', async (name, code, why) => {
    const path = pathOf(name);
    const error = await refusal(fileCheckpoint(path).save('cursor'));
    expect(error).toMatchObject({ reason: 'checkpoint' });
    expect(error.message).toContain(path);
    expect(error.message).toMatch(why);
    expect((error.cause as NodeJS.ErrnoException).code).toBe(code);
  });

  it.skipIf(process.platform !== 'linux')('a save in a sysfs folder that holds no file is refused, EACCES its cause', async () => {
    const path = '/sys/kernel/tributary.cursor';
    const error = await refusal(fileCheckpoint(path).save('cursor'));
    expect(error).toMatchObject({ reason: 'checkpoint' });
    expect(error.message).toContain(`the checkpoint file ${path} cannot be saved: no file can be created in its folder /sys/kernel: permission denied`);
    expect((error.cause as NodeJS.ErrnoException).code).toBe('EACCES');
  });

  it.each([
    ['EROFS', /no file can be created in its folder \S+refuses-EROFS: a read-only file system \(EROFS: .*\); give a path in a folder that can hold files$/],
    ['ENOSPC', /no file can be created in its folder \S+refuses-ENOSPC: no space left on its device \(ENOSPC: .*\); free space on its device, or give a path on another$/],
  ])('a folder that answers %s is refused before a listing and at a save', async (code, why) => {
    const path = join(dir, `refuses-${code}`, 'cursor');
    for (const attempt of [prepareCheckpointFolder(path), fileCheckpoint(path).save('cursor')]) {
      const error = await refusal(attempt);
      expect(error).toMatchObject({ reason: 'checkpoint' });
      expect(error.message).toContain(`the checkpoint file ${path} cannot be saved`);
      expect(error.message).toMatch(why);
      expect((error.cause as NodeJS.ErrnoException).code).toBe(code);
    }
  });

  it('a load under a file is refused, not read as a fresh start nor thrown as the bare ENOTDIR', async () => {
    const path = join(dir, 'file', 'cursor');
    const error = await refusal(fileCheckpoint(path).load());
    expect(error).toMatchObject({ reason: 'checkpoint' });
    expect(error.message).toContain(`the checkpoint file ${path} cannot be read: a file stands where a folder of its path goes`);
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOTDIR');
  });
});
