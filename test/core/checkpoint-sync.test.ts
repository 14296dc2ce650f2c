/**
 * `fileCheckpoint` saves durably: the cursor's data is flushed before the rename, and the folder after
 * it, so that once a save has resolved a power loss can bring back neither an empty file nor the
 * previous cursor (which would repeat every page handled since).
 */
import type { FileHandle } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fileCheckpoint } from '../../src/core/checkpoint.js';

/** What the file system was asked to do, in order. */
const calls: string[] = [];

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    open: async (...args: Parameters<typeof actual.open>): Promise<FileHandle> => {
      const handle = await actual.open(...args);
      const path = String(args[0]);
      const sync = handle.sync.bind(handle);
      handle.sync = async () => {
        await sync();
        calls.push(`sync ${path}`);
      };
      return handle;
    },
    rename: async (...args: Parameters<typeof actual.rename>): Promise<void> => {
      await actual.rename(...args);
      calls.push(`rename ${String(args[1])}`);
    },
  };
});

describe('fileCheckpoint', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    calls.length = 0;
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it.skipIf(process.platform === 'win32')('flushes the folder after the rename, before the save resolves', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tributary-checkpoint-'));
    dirs.push(dir);
    const path = join(dir, 'c');
    const checkpoint = fileCheckpoint(path);
    for (const cursor of ['one', 'two']) {
      calls.length = 0;
      await checkpoint.save(cursor);
      const renamed = calls.indexOf(`rename ${path}`);
      expect(renamed, cursor).toBeGreaterThan(0);
      expect(calls[renamed - 1], cursor).toMatch(/^sync .*\.tmp$/);
      expect(calls.slice(renamed + 1), cursor).toEqual([`sync ${dirname(path)}`]);
    }
  });

  it.skipIf(process.platform === 'win32')('flushes the parent of each folder a save makes, before writing in it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tributary-checkpoint-'));
    dirs.push(dir);
    const path = join(dir, 'a', 'b', 'c');
    await fileCheckpoint(path).save('one');
    const first = calls.findIndex((call) => call.endsWith('.tmp'));
    expect(calls.slice(0, first).sort()).toEqual([`sync ${dir}`, `sync ${join(dir, 'a')}`]);
    calls.length = 0;
    await fileCheckpoint(path).save('two');
    expect(calls.filter((call) => call === `sync ${dir}` || call === `sync ${join(dir, 'a')}`)).toEqual([]);
  });
});
