/**
 * How the command writes: a page of events to stdout handed to the operating system whole before it
 * counts as written, and a failure of stdout told as one.
 */
import { fstatSync, statSync, write as writeToFd, type Stats } from 'node:fs';
import type { Writable } from 'node:stream';
import { isatty } from 'node:tty';
import { promisify } from 'node:util';

/** Writes `text`; `signal` gives up the wait, the text then not counted as written. */
export type Write = (text: string, signal?: AbortSignal) => Promise<void>;

/**
 * stdout refused a write for a reason other than its reader leaving: a full disk (ENOSPC), a file past
 * its size limit (EFBIG), an I/O error (EIO), a descriptor not open for writing (EBADF).
 */
export class OutputError extends Error {
  override readonly name = 'OutputError';
  /** The system's code for the refusal (`ENOSPC`), when it gave one. */
  readonly code: string | undefined;
  constructor(cause: unknown) {
    super(`cannot write to stdout: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    this.code = typeof code === 'string' ? code : undefined;
  }
}

/** Whether a failure of stdout is its reader leaving (`| head -1`), which ends the command quietly. */
export function readerGone(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
}

/**
 * Resolves once the stream has handed `text` to the operating system (its write callback), not merely
 * buffered it: only then may the page's cursor be committed. One wait per page keeps throughput.
 * `signal` gives up the wait: a reader that stalls (a full pipe nobody reads) must not hold a Ctrl-C or
 * SIGTERM until it reads again; the page is then not counted as written.
 */
function write(stream: Writable, text: string, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    stream.write(text, (error) => {
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    });
  });
}

/**
 * Writes a status line (a warning, the count and cursor) to stderr. A stderr that refuses it, its reader
 * gone (`2>&1 | head -1`) or its disk full (`2>>log`), costs only the line: the events were written and
 * their cursor saved, which the exit code is about.
 */
export function writeStatus(stderr: Writable, text: string): Promise<void> {
  return write(stderr, text).catch(() => undefined);
}

/**
 * The writer of pages to `stdout`; `failed` hears of each write it refused (not of one a signal gave up).
 *
 * Over a file or a device (`> events.ndjson`, `>> log`, /dev/full) Node's stdout writes each chunk with
 * one write(2) and takes a short one, which a full disk or a file size limit makes of the write that
 * reaches it, as all written: the page's cursor was then saved with the rest of the page lost, and the
 * next run went on after it. Such a descriptor is written here until the whole page is out or it
 * refuses. A page is still one write(2) when the descriptor takes it whole, as a file opened for append
 * does: its lines stay whole among another appender's.
 */
export function stdoutWriter(stdout: Writable, failed: (error: unknown) => void): Write {
  const fd = fileDescriptor(stdout);
  const put: Write = fd === undefined ? (text, signal) => write(stdout, text, signal) : (text) => writeWhole(fd, text);
  return async (text, signal) => {
    try {
      await put(text, signal);
    } catch (error) {
      if (signal?.aborted !== true || error !== signal.reason) failed(error);
      throw error;
    }
  };
}

/**
 * Writes `text` (the usage, the version, the emulator's address) to stdout whole: false when its reader
 * has gone, an OutputError when stdout refused it, as a command must not exit 0 having said nothing.
 */
export async function writeStdout(stdout: Writable, text: string): Promise<boolean> {
  try {
    await stdoutWriter(stdout, () => undefined)(text);
    return true;
  } catch (error) {
    if (readerGone(error)) return false;
    throw new OutputError(error);
  }
}

/**
 * Whether `stream` writes to the null device: compared by device number with /dev/null itself rather
 * than with Linux's 1,3, which another system numbers otherwise. A stream over no descriptor, or one
 * that cannot be asked about, is not.
 */
export function writesToNullDevice(stream: Writable): boolean {
  const stat = descriptorOf(stream)?.stat;
  if (stat?.isCharacterDevice() !== true) return false;
  try {
    const nul = statSync('/dev/null');
    return nul.isCharacterDevice() && nul.rdev === stat.rdev;
  } catch {
    // No /dev/null (Windows): nothing to say.
    return false;
  }
}

/** `stream`'s descriptor when it is one Node writes as a file (a file or a device other than a terminal). */
function fileDescriptor(stream: Writable): number | undefined {
  const described = descriptorOf(stream);
  if (described === undefined) return undefined;
  const { fd, stat } = described;
  return stat.isFile() || ((stat.isCharacterDevice() || stat.isBlockDevice()) && !isatty(fd)) ? fd : undefined;
}

/**
 * `stream`'s descriptor and what the system says it is; none for a stream over no descriptor, or one
 * that cannot be asked about, which is left to the stream (whose write then fails).
 */
function descriptorOf(stream: Writable): { fd: number; stat: Stats } | undefined {
  const fd = (stream as { fd?: unknown }).fd;
  if (typeof fd !== 'number') return undefined;
  try {
    return { fd, stat: fstatSync(fd) };
  } catch {
    return undefined;
  }
}

const writeAt = promisify(writeToFd);

async function writeWhole(fd: number, text: string): Promise<void> {
  const bytes = Buffer.from(text);
  for (let offset = 0; offset < bytes.length; ) {
    const { bytesWritten } = await writeAt(fd, bytes, offset, bytes.length - offset, null);
    offset += bytesWritten;
  }
}
