/**
 * Where `watch` keeps its cursor between runs. A checkpoint is saved only after the consumer has
 * finished with a page (it asked for the next one), so a crash repeats at most the page in hand and
 * never skips one.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CursorError } from './errors.js';

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
 * Keeps the cursor in a file, replaced atomically (write to a temporary file, flush it to disk, then
 * rename) so a crash or a power loss mid-write leaves the previous cursor intact. The file is created
 * readable by its owner only. Only a missing file starts fresh: an empty one is a `CursorError`, since
 * starting over would repeat the whole listing.
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
    try {
      const file = await open(temporary, 'w', 0o600);
      try {
        await file.writeFile(`${cursor}\n`, 'utf8');
        // Without it a power loss after the rename can leave an empty file in the cursor's place.
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      throw error;
    }
  };
  return {
    async load() {
      try {
        const text = (await readFile(path, 'utf8')).trim();
        if (text === '') {
          throw new CursorError(`the checkpoint file ${path} is empty; delete it to start the listing over`);
        }
        return text;
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
