/**
 * Where `watch` keeps its cursor between runs. A checkpoint is saved only after the consumer has
 * finished with a page (it asked for the next one), so a crash repeats at most the page in hand and
 * never skips one.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface Checkpoint {
  /** The saved cursor, or `undefined` to start fresh. */
  load(): Promise<string | undefined>;
  save(cursor: string): Promise<void>;
}

/** Keeps the cursor in memory: for tests and for one process that reads the value itself. */
export function memoryCheckpoint(initial?: string): Checkpoint & { readonly value: string | undefined } {
  let value = initial;
  return {
    get value() {
      return value;
    },
    load: async () => value,
    save: async (cursor) => {
      value = cursor;
    },
  };
}

/**
 * Keeps the cursor in a file, replaced atomically (write to a temporary file, then rename) so a crash
 * mid-write leaves the previous cursor intact.
 * @example fileCheckpoint('.tributary/illumio.cursor')
 */
export function fileCheckpoint(path: string): Checkpoint {
  /**
   * Saves of this checkpoint, one after the other: the last one asked for is the one left in the file.
   * Each writes a temporary file of its own, so that saves of another checkpoint of the same file (in
   * this process or another) never rename one another's.
   */
  let saving: Promise<unknown> = Promise.resolve();
  const write = async (cursor: string): Promise<void> => {
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.${randomUUID()}.tmp`;
    await writeFile(temporary, `${cursor}\n`, 'utf8');
    await rename(temporary, path);
  };
  return {
    async load() {
      try {
        const text = (await readFile(path, 'utf8')).trim();
        return text === '' ? undefined : text;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    save(cursor) {
      const saved = saving.then(() => write(cursor));
      // A failed save fails its caller; the next one still runs.
      saving = saved.catch(() => undefined);
      return saved;
    },
  };
}
