/**
 * The system's refusals of a checkpoint's folder or of its device: answers no later save mends by
 * itself (a folder nobody may write in, a read-only mount, a file where a folder of the path goes, a
 * full disk). They are told as the typed error of a checkpoint that can hold no cursor, where Node's own
 * named no checkpoint (`EPERM: operation not permitted, mkdir '/sys/x'`), and for a write no file at all.
 */
import { CursorError } from './errors.js';

/** What each refusal means for the checkpoint, by the system's code. */
const REFUSALS: ReadonlyMap<unknown, string> = new Map([
  ['EACCES', 'permission denied'],
  ['EPERM', 'not permitted'],
  ['EROFS', 'a read-only file system'],
  ['ENOTDIR', 'a file stands where a folder of its path goes'],
  // Answered only by `mkdir` (`makeFolders`) of a folder whose place a file takes.
  ['EEXIST', 'a file stands where a folder of its path goes'],
  ['ENOSPC', 'no space left on its device'],
]);

/** What `error` means for a checkpoint, when the system refused its folder or device; else `undefined`. */
export function refusalOf(error: unknown): string | undefined {
  return REFUSALS.get((error as NodeJS.ErrnoException | undefined)?.code);
}

/**
 * A checkpoint at `path` that cannot be `saved` or `read`: `why`, when given, names the folder, the
 * refusal says what the system answered, and the system's error is the `cause`, its `code` there for a
 * caller that tests it.
 */
export function unusableCheckpoint(path: string, doing: 'saved' | 'read', why: string | undefined, cause: unknown): CursorError {
  const said = [why, refusalOf(cause)].filter((part) => part !== undefined).join(': ');
  const advice =
    (cause as NodeJS.ErrnoException | undefined)?.code === 'ENOSPC'
      ? 'free space on its device, or give a path on another'
      : 'give a path in a folder that can hold files';
  return new CursorError(
    `the checkpoint file ${path} cannot be ${doing}: ${said} (${(cause as Error).message}); ${advice}`,
    { reason: 'checkpoint', cause },
  );
}
