/**
 * A save writes a temporary file beside the cursor's, named after it with `.{pid}.{uuid}.tmp` added:
 * for a name near the 255 bytes a file system allows, that name was too long, and every save failed
 * with ENAMETOOLONG while the load found no file and started the listing, so a watch listed its first
 * page only to fail at its save.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileCheckpoint } from '../../src/core/checkpoint.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('fileCheckpoint with a long file name', () => {
  // 255 bytes: ASCII, and three-byte characters (85 of them), which fill the name at a third the length.
  it.each([['c'.repeat(255)], ['索'.repeat(85)], ['c'.repeat(210)]])('saves and loads %#, leaving nothing beside it', async (name) => {
    const dir = await mkdtemp(join(tmpdir(), 'tributary-checkpoint-'));
    dirs.push(dir);
    const checkpoint = fileCheckpoint(join(dir, name));
    expect(await checkpoint.load()).toBeUndefined();
    await checkpoint.save('one');
    await checkpoint.save('two');
    expect(await fileCheckpoint(join(dir, name)).load()).toBe('two');
    expect(await readdir(dir)).toEqual([name]);
  });
});
