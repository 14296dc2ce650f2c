/**
 * Where `watch` keeps its cursor between runs. A checkpoint is saved only after the consumer has
 * finished with a page (it asked for the next one), so a crash repeats at most the page in hand and
 * never skips one.
 */
import { randomUUID } from 'node:crypto';
import { open, readdir, readFile, readlink, realpath, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { describe, invalidOption } from './config.js';
import { refusalOf, unusableCheckpoint } from './checkpoint-refusal.js';
import { CursorError } from './errors.js';
import { makeFolders } from './make-folders.js';

/**
 * Where a cursor is kept: `fileCheckpoint`, `memoryCheckpoint`, or a store of the application's own,
 * written as its client answers.
 * @example { load: () => redis.get('pce.cursor'), save: (cursor) => redis.set('pce.cursor', cursor) }
 */
export interface Checkpoint {
  /**
   * The saved cursor, or `undefined` (or `null`, as a key-value store answers) to start fresh; a store
   * kept in the process (a `Map`, a synchronous database client) may answer at once, without a promise.
   */
  load(): PromiseLike<string | null | undefined> | string | null | undefined;
  /** Keeps `cursor`, at once or by the promise it returns; what it returns or resolves to is ignored. */
  save(cursor: string): unknown;
}

/**
 * A `Checkpoint` whose calls answer by a promise, as the two tributary makes do, so that a caller of
 * theirs can chain on `load()` and `save()` without a check.
 * @example const saved = await fileCheckpoint('pce.cursor').load();
 */
export interface AsyncCheckpoint extends Checkpoint {
  load(): Promise<string | undefined>;
  save(cursor: string): Promise<void>;
}

/** Keeps the cursor in memory: for tests and for one process that reads the value itself. */
export function memoryCheckpoint(initial?: string): AsyncCheckpoint & { readonly value: string | undefined } {
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
 * Keeps the cursor in a file, replaced atomically (write to a temporary file, flush it to disk, rename,
 * flush the folder) so a crash or a power loss mid-write leaves the previous cursor intact, and one
 * after a save cannot undo it. The file is created
 * readable by its owner only. Only a missing file starts fresh: an empty one is a `CursorError`, since
 * starting over would repeat the whole listing, and so is a directory at `path`. A symbolic link is
 * followed: its target is replaced and the link kept (a loop of links fails with ELOOP). The first
 * save that can list the folder removes the temporary files of saves a crash cut short (one that
 * cannot fails no save). A `path` that is not a non-empty string is a `ConfigurationError`, at once;
 * one whose folder cannot be made (under `/proc`), or that the system refuses (a read-only mount, a
 * folder it may not write, a file where a folder of the path goes, a full disk), fails its save with a
 * `CursorError`, the system's error its `cause`.
 * @example fileCheckpoint('.tributary/illumio.cursor')
 */
export function fileCheckpoint(path: string): AsyncCheckpoint {
  // Checked here, not at the first load or save: an empty path loaded as a missing file (a fresh start)
  // and failed only the first save, after the first page was listed; a number read a file descriptor.
  if (typeof path !== 'string' || path === '') invalidOption('path', `expected the path of a file, got ${describe(path)}`);
  if (path.includes('\0')) invalidOption('path', 'must not contain a NUL character');
  /**
   * Saves of this checkpoint, one after the other: the last one asked for is the one left in the file.
   * Each writes a temporary file of its own, so that saves of another checkpoint of the same file (in
   * this process or another) never rename one another's.
   */
  let saving: Promise<unknown> = Promise.resolve();
  /** Where saves go: a symbolic link (onto a persistent volume, say) is followed, not replaced by a file. */
  let target: string | undefined;
  let swept = false;
  const write = async (cursor: string): Promise<void> => {
    target ??= await linkTarget(path);
    // At every save, not the first only: a first save that could not make the folder, or a folder
    // removed since (a temporary folder cleaned, a volume remounted), failed every later save.
    await makeFolder(path, target);
    swept ||= await sweepAbandoned(target);
    const temporary = temporaryName(target);
    const folder = dirname(target);
    try {
      const file = await open(temporary, 'w', 0o600);
      try {
        await file.writeFile(`${cursor}\n`, 'utf8');
        // Without it a power loss after the rename can leave an empty file in the cursor's place.
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      if (isDirectoryError(error)) throw notAFile(path, error);
      // Only the temporary file's creation is an `open`: the rest write it and rename it.
      const creating = (error as NodeJS.ErrnoException).syscall === 'open';
      throw refused(path, creating ? `no file can be created in its folder ${folder}` : `writing in its folder ${folder} failed`, error);
    }
    await syncFolder(folder).catch((error: unknown) => {
      throw refused(path, `its folder ${folder} cannot be flushed to disk`, error);
    });
  };
  return {
    async load() {
      try {
        const text = (await readFile(path, 'utf8')).trim();
        if (text === '') {
          throw new CursorError(`the checkpoint file ${path} is empty; delete it to start the listing over`, {
            reason: 'checkpoint',
          });
        }
        return text;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        if (isDirectoryError(error)) throw notAFile(path, error);
        // A file where a folder of the path goes fails every load and save alike: not a fresh start.
        throw refusalOf(error) === undefined ? error : unusableCheckpoint(path, 'read', undefined, error);
      }
    },
    save(cursor) {
      const saved = saving.then(() => write(cursor)).catch((error: unknown) => {
        throw naming(path, error);
      });
      // A failed save fails its caller; the next one still runs.
      saving = saved.catch(() => undefined);
      return saved;
    },
  };
}

/**
 * Makes the folder of the file a save of `path` replaces, as every save does, and creates a file in it,
 * as every save does its temporary file: called before a listing's first request, a path no save can
 * write (a folder that cannot be made, or that holds no file: `/proc/self`, sysfs, a read-only mount)
 * fails then, rather than after its first page.
 */
export async function prepareCheckpointFolder(path: string): Promise<void> {
  const target = await linkTarget(path);
  await makeFolder(path, target);
  await probeFolder(path, target);
}

/**
 * Creates and removes a file where a save of `path` writes its temporary file. Named as that file is, so
 * a probe a crash leaves is swept as an abandoned save's; created exclusively, so it replaces nothing.
 */
async function probeFolder(path: string, target: string): Promise<void> {
  const probe = temporaryName(target);
  let file: FileHandle;
  try {
    file = await open(probe, 'wx', 0o600);
  } catch (error) {
    throw unusableCheckpoint(path, 'saved', `no file can be created in its folder ${dirname(target)}`, error);
  }
  try {
    await file.close();
  } finally {
    await rm(probe, { force: true });
  }
}

/** Makes the folder of `target`, where saves of `path` go, durable. */
async function makeFolder(path: string, target: string): Promise<void> {
  const folder = dirname(target);
  let made: string | undefined;
  try {
    made = await makeFolders(folder);
  } catch (error) {
    // makeFolders makes every missing parent: an ENOENT left is a parent that lets no folder be made in it.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && refusalOf(error) === undefined) throw error;
    throw unusableCheckpoint(path, 'saved', `its folder ${folder} cannot be made`, error);
  }
  if (made === undefined) return;
  await syncMadeFolders(made, folder).catch((error: unknown) => {
    throw refused(path, `the folders made for it, up to ${folder}, cannot be flushed to disk`, error);
  });
}

/**
 * A save's error that the system's refusal of its folder or of its device made (`refusalOf`), as the
 * typed error of a checkpoint that can hold no cursor, `why` saying which step; any other as it came.
 */
function refused(path: string, why: string, error: unknown): unknown {
  return refusalOf(error) === undefined ? error : unusableCheckpoint(path, 'saved', why, error);
}

/**
 * A save's failure, told which checkpoint it was: Node names no file for a write, a flush or a close
 * (`EIO: i/o error, write`), and a folder or a temporary file for the rest, so the watch of several
 * checkpoints that failed said nothing of which. An error other than a refusal (`refused`) stays the
 * system's, its `code` kept for callers that test it.
 */
function naming(path: string, error: unknown): unknown {
  if (error instanceof Error && !error.message.includes(path)) error.message += ` (saving the checkpoint file ${path})`;
  return error;
}

function isDirectoryError(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EISDIR';
}

/**
 * A path that names a directory (a volume mounted where the file goes, a path without its file name)
 * holds no cursor, and Node's `EISDIR` names neither the checkpoint nor what to do.
 */
function notAFile(path: string, cause: unknown): CursorError {
  return new CursorError(`the checkpoint file ${path} is a directory; give the path of a file, such as ${join(path, 'cursor')}`, {
    reason: 'checkpoint',
    cause,
  });
}

/**
 * Makes the folders from `first` (the outermost one `mkdir` made) down to `last` durable: each is an
 * entry of its parent, and unflushed a power loss could take it with the cursor saved in it, so the
 * next run would list everything again.
 */
async function syncMadeFolders(first: string, last: string): Promise<void> {
  for (let folder = last; ; folder = dirname(folder)) {
    await syncFolder(dirname(folder));
    if (folder === first || dirname(folder) === folder) return;
  }
}

/**
 * Makes a rename in `folder` durable: until the folder itself is flushed, a power loss may bring the
 * previous cursor back, and a restart would repeat every page handled since.
 */
async function syncFolder(folder: string): Promise<void> {
  // Windows opens no folder as a file to flush.
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The file a save replaces: `path`, or the file its symbolic links lead to, also one that does not
 * exist yet (a first save onto a volume).
 */
async function linkTarget(path: string): Promise<string> {
  let current = path;
  for (let hops = 0; hops < 40; hops++) {
    const link = await readlink(current).catch(() => undefined);
    if (link === undefined) return current;
    // From the folder the link really is in, as the system reads it: reached through a linked folder,
    // `../x` read from the folder as named was another file than the load's, and the next run started
    // the listing over.
    current = resolve(await realpath(dirname(current)), link);
  }
  // Still a link after as many as the system follows: a loop, which the system refuses with ELOOP
  // naming `path`, as the load does. Renamed over, the link reached became a file and the save passed.
  return await realpath(path);
}

/** A temporary file older than this was left by a save that never ended: a save takes milliseconds. */
const ABANDONED_AFTER_MS = 60_000;

/**
 * Removes the temporary files of saves of `path` that a crash cut short (a process killed between its
 * write and its rename leaves one each time). Once per checkpoint, by age: another process's save in
 * progress, on this host or another sharing the folder, is younger. Answers whether the folder was
 * listed: one that cannot be (writable but not readable; a listing the system fails for a moment,
 * EMFILE) fails no save, which the sweep only tidies, and is listed again at the next save; taken for
 * swept, it kept a killed save's file for the life of the checkpoint. A save that cannot succeed there
 * fails at its own step, with its own error.
 */
async function sweepAbandoned(path: string): Promise<boolean> {
  const prefix = `${basename(temporaryStem(path))}.`;
  const folder = dirname(path);
  const names = await readdir(folder).catch(() => undefined);
  if (names === undefined) return false;
  const cutoff = Date.now() - ABANDONED_AFTER_MS;
  for (const name of names) {
    if (!name.startsWith(prefix) || !TEMPORARY.test(name.slice(prefix.length))) continue;
    const file = join(folder, name);
    const modified = await stat(file).then((info) => info.mtimeMs, () => Number.POSITIVE_INFINITY);
    if (modified < cutoff) await rm(file, { force: true }).catch(() => undefined);
  }
  return true;
}

/** A temporary file of its own for a save of `file`, in its folder. */
function temporaryName(file: string): string {
  return `${temporaryStem(file)}.${process.pid}.${randomUUID()}.tmp`;
}

/** What `save` appends to the stem of its temporary file's name: `.{pid}.{uuid}.tmp`. */
const TEMPORARY = /^\d+\.[0-9a-f-]{36}\.tmp$/;

/** The bytes a file name may take (ext4, XFS, tmpfs, APFS; NTFS counts 255 UTF-16 units, never more than its bytes). */
const NAME_MAX = 255;
/** The longest `TEMPORARY`, with a pid of 10 digits (Windows'; Linux's have at most 7). */
const TEMPORARY_MAX = '.'.length + 10 + '.'.length + 36 + '.tmp'.length;

/**
 * `file` with its name cut, by whole characters, to leave room for what a save appends: a name near the
 * most a name may take made every save fail with ENAMETOOLONG, after the load had found no file. Two
 * names cut to one stem share their temporary files' prefix, so either's sweep removes the other's
 * abandoned ones too, which are as abandoned.
 */
function temporaryStem(file: string): string {
  let stem = '';
  for (const char of basename(file)) {
    if (Buffer.byteLength(stem + char) > NAME_MAX - TEMPORARY_MAX) break;
    stem += char;
  }
  return join(dirname(file), stem);
}
