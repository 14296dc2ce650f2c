/**
 * A checkpoint whose folder cannot be made, though the folder it goes in exists (procfs, where `mkdir`
 * answers ENOENT under `/proc` and `/proc/self`): Node's `mkdir(..., { recursive: true })` read that
 * ENOENT as a missing parent, made the parent (there already), and asked again, for ever, on Node 20 and
 * 24 alike, so a save never settled. It is refused with the typed error of a checkpoint that can hold
 * no cursor, naming the path.
 */
import { describe, expect, it } from 'vitest';
import { fileCheckpoint } from '../../src/core/checkpoint.js';
import { CursorError } from '../../src/core/errors.js';

/** Long past a save's milliseconds: a save that loops fails here rather than holding the file. */
const SETTLES_WITHIN_MS = 5_000;

function settled(promise: Promise<unknown>): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise((resolve) => {
    timer = setTimeout(() => resolve('still pending'), SETTLES_WITHIN_MS);
  });
  return Promise.race([promise.then(() => 'saved', (error: unknown) => error), hang]).finally(() => clearTimeout(timer));
}

describe.skipIf(process.platform !== 'linux')('fileCheckpoint whose folder cannot be made', () => {
  it.each(['/proc/nonexistent/cursor', '/proc/self/whatever/cursor', '/proc/nonexistent/deeper/cursor'])('save() to %s is refused at once', async (path) => {
    const checkpoint = fileCheckpoint(path);
    expect(await checkpoint.load()).toBeUndefined();
    const error = await settled(checkpoint.save('cursor'));
    expect(error).toBeInstanceOf(CursorError);
    expect(error).toMatchObject({ reason: 'checkpoint' });
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toMatch(/cannot be made/);
    expect(((error as Error).cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});
