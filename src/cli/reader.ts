/**
 * Whether the reader of the command's output is still there, asked without writing to it. A watch
 * with no new events writes nothing, so `tributary watch x | head -1` would notice that `head` has gone
 * only at the next event, polling the vendor (and holding its rate limit) until then.
 *
 * Node cannot poll a descriptor, and on a pipe neither way of asking that needs no data works: Linux
 * accepts an empty write before it looks for readers, and reopening the pipe through /proc succeeds
 * without one. So each kind of output is asked in the way it can be:
 * - a socket (the "pipe" a Node parent gives its child: libuv makes stream socket pairs) by an empty
 *   write, which fails with EPIPE once the peer has closed and sends nothing while it is there;
 * - a pipe through /proc: whether any process still has it open for reading.
 * A file or a terminal has no reader to lose; where there is no /proc, a pipe is not asked.
 *
 * The first answer is asked for at once, as the watch is set up, not after the first interval nor a turn
 * of the event loop later (by then Node 24 has sent the command's first request): a reader that left
 * while the command started ends it before its first request wherever it can be told apart from a
 * hidden one.
 */
import { fstatSync, lstatSync, readdirSync, readlinkSync, writeSync } from 'node:fs';

/** Answers whether the reader has gone; each answer costs a few system calls. */
type Probe = () => boolean;

/**
 * Calls `gone` once the reader of `fd` has left, asking now (a reader already gone is told before this
 * returns) and then every `everyMs`; the returned function stops asking. Asks nothing where the output
 * cannot be asked, and never keeps the process alive.
 */
export function onReaderGone(fd: number, gone: () => void, everyMs = 200): () => void {
  const probe = probeOf(fd);
  if (probe === undefined) return () => undefined;
  if (probe()) {
    gone();
    return () => undefined;
  }
  const timer = setInterval(() => {
    if (!probe()) return;
    clearInterval(timer);
    gone();
  }, everyMs).unref();
  return () => clearInterval(timer);
}

function probeOf(fd: number): Probe | undefined {
  try {
    const stat = fstatSync(fd);
    if (stat.isSocket()) return () => socketClosed(fd);
    if (stat.isFIFO()) return pipeProbe(fd);
  } catch {
    // A descriptor that cannot be asked about is not watched: its writes still fail when it is gone.
  }
  return undefined;
}

function socketClosed(fd: number): boolean {
  try {
    writeSync(fd, new Uint8Array(0));
    return false;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'EPIPE' || code === 'ECONNRESET';
  }
}

/**
 * A pipe's readers, as /proc shows them: a link in some `/proc/<pid>/fd/` to the same pipe, opened for
 * reading. The reader last seen is asked first, so that a probe usually costs two system calls; only
 * when it has let go are all processes searched, for another (a child it handed the pipe to).
 *
 * A reader this user cannot see cannot be told apart from none: a pipe with no visible reader at the
 * start is not watched, and a reader already gone then is met at the first write. Not seen is no sign
 * of gone: one run as another user (`| sudo tee log`), and the container runtime that reads a container's
 * stdout from outside its process namespace (`docker logs`), which no /proc inside it lists, would end
 * every such command before its first request.
 */
function pipeProbe(fd: number): Probe | undefined {
  const pipe = readlinkSync(`/proc/self/fd/${fd}`);
  let reader = findReader(pipe);
  if (reader === undefined) return undefined;
  return () => {
    if (reader !== undefined && reads(reader, pipe, true)) return false;
    reader = findReader(pipe);
    return reader === undefined;
  };
}

/** A descriptor of some process that reads `pipe`, or undefined when none can be seen. */
function findReader(pipe: string): string | undefined {
  const pids = entries('/proc').filter((name) => /^\d+$/.test(name));
  // A pipe's reader usually has it as its stdin: looking there first costs one readlink a process,
  // where every descriptor of every process can be tens of thousands.
  const reader = (links: Iterable<string>): string | undefined => {
    for (const link of links) if (reads(link, pipe)) return link;
    return undefined;
  };
  return reader(pids.map((pid) => `/proc/${pid}/fd/0`)) ?? reader(descriptors(pids));
}

function* descriptors(pids: readonly string[]): Generator<string> {
  for (const pid of pids) for (const fd of entries(`/proc/${pid}/fd`)) yield `/proc/${pid}/fd/${fd}`;
}

/** The names in a folder; none for one that went away or that this user may not list. */
function entries(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

/**
 * Whether `link` is `pipe` opened for reading: /proc gives a descriptor's link the mode it was opened
 * in. `ifHidden` answers for a link this user may not read: in a search it is no reader, but the reader
 * last seen that became hidden (it ran a setuid program) is there until it ends or lets go of the pipe.
 */
function reads(link: string, pipe: string, ifHidden = false): boolean {
  try {
    return readlinkSync(link) === pipe && (lstatSync(link).mode & 0o400) !== 0;
  } catch (error) {
    return ifHidden && (error as NodeJS.ErrnoException).code === 'EACCES';
  }
}
