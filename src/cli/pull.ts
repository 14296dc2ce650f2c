/**
 * `tributary pull` and `tributary watch`: events as NDJSON on stdout, one page at a time, with the
 * cursor saved after each page has been written, so a pipeline can stop anywhere and resume.
 */
import type { Writable } from 'node:stream';
import { fileCheckpoint, memoryCheckpoint, type Checkpoint } from '../core/checkpoint.js';
import { toCloudEvent } from '../core/cloudevent.js';
import { closeRateLimiters } from '../core/rate-limit.js';
import type { TributaryEvent } from '../core/event.js';
import type { Paginated } from '../core/paginate/types.js';
import { watch } from '../core/watch.js';
import { integerFlag, UsageError, type ParsedArgs } from './args.js';
import { envName, mergeOptions, optionsFromEnv, optionsFromFile, withSharedLimit } from './options.js';
import { ConfigurationError, isConfigurationError } from '../core/errors.js';
import { loadFactory, type EventsClient } from './providers.js';

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}

/** Flags that map to the uniform query names; anything vendor-specific goes through `--query k=v`. */
function queryFrom(args: ParsedArgs): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const name of ['since', 'until', 'type'] as const) {
    const value = args.values.get(name);
    if (value !== undefined) query[name] = value;
  }
  const pageSize = integerFlag(args, 'page-size');
  if (pageSize !== undefined) query.pageSize = pageSize;
  const extra = args.values.get('query');
  if (extra !== undefined) {
    // An empty piece (`a=1&`) is harmless; a piece that is not `k=v` is a mistake worth naming.
    for (const pair of extra.split('&').filter((piece) => piece !== '')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`--query takes k=v pairs joined by &, got ${JSON.stringify(pair)}`);
      query[pair.slice(0, eq)] = decoded(pair.slice(eq + 1));
    }
  }
  return query;
}

function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new UsageError(`--query value ${JSON.stringify(value)} is not valid percent-encoding`);
  }
}

/** 130 for SIGINT, 143 for SIGTERM, as the reason the signal handler set says; 130 otherwise. */
export function interruptedExitCode(signal: AbortSignal): number {
  const code = (signal.reason as { exitCode?: unknown } | undefined)?.exitCode;
  return typeof code === 'number' ? code : 130;
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

export async function pull(provider: string, args: ParsedArgs, io: CliIo, follow: boolean): Promise<number> {
  const factory = await loadFactory(provider);
  const configFile = args.values.get('config');
  // Listening for the whole command, not only while writing: a reader can leave while a request is in
  // flight, and an 'error' event with no listener would crash the process. It also stops that request.
  const output = new AbortController();
  const onOutputError = (error: Error) => output.abort(error);
  io.stdout.on('error', onOutputError);
  const signal = AbortSignal.any([io.signal, output.signal]);
  try {
    const fromFile = configFile === undefined ? {} : await optionsFromFile(configFile);
    const options = withSharedLimit({ ...mergeOptions(fromFile, optionsFromEnv(provider, io.env)), signal });
    return await collect(build(factory, options, provider), provider, args, { ...io, signal }, output.signal, follow);
  } catch (error) {
    const cause: unknown = output.signal.aborted ? output.signal.reason : error;
    // The reader went away (`tributary pull x | head -1`): end quietly and successfully, as `head`
    // users expect and as `set -o pipefail` needs; the page in hand stays uncommitted.
    if ((cause as NodeJS.ErrnoException).code === 'EPIPE') return 0;
    throw cause;
  } finally {
    io.stdout.off('error', onOutputError);
    // A limit shared through Redis holds a connection that would keep the process alive.
    await closeRateLimiters();
  }
}

/** The client; a refused factory option says which environment variable sets it. */
function build(factory: (options: Record<string, unknown>) => EventsClient, options: Record<string, unknown>, provider: string): EventsClient {
  try {
    return factory(options);
  } catch (error) {
    if (!isConfigurationError(error) || error.option === undefined) throw error;
    throw new ConfigurationError(`${error.message} (set it with ${envName(provider, error.option)} or in --config)`, {
      provider: error.provider,
      option: error.option,
    });
  }
}

/** Flags that set a uniform query option; any other option came through `--query`. */
const QUERY_FLAGS: Readonly<Record<string, string>> = { since: '--since', until: '--until', type: '--type', pageSize: '--page-size' };

/**
 * The listing of the flags' query. A query the client refuses is a mistake in the command line, as an
 * unknown flag is: it exits 2 (with the usage), naming the flag to fix rather than the option behind it.
 */
function listing(client: EventsClient, args: ParsedArgs): Paginated<TributaryEvent> {
  try {
    return client.events.list(queryFrom(args));
  } catch (error) {
    if (!isConfigurationError(error) || error.option === undefined) throw error;
    const flag = Object.hasOwn(QUERY_FLAGS, error.option) ? QUERY_FLAGS[error.option] : `--query ${error.option}=`;
    throw new UsageError(`${error.message} (from ${flag})`);
  }
}

async function collect(
  client: EventsClient,
  provider: string,
  args: ParsedArgs,
  io: CliIo,
  output: AbortSignal,
  follow: boolean,
): Promise<number> {
  const cursorFile = args.values.get('cursor-file');
  const saved: Checkpoint = cursorFile === undefined ? memoryCheckpoint() : fileCheckpoint(cursorFile);
  const startCursor = args.values.get('cursor');
  // A `--cursor` given beside `--cursor-file` is where to start: it wins over the file's, which is
  // then saved as usual.
  const checkpoint: Checkpoint = startCursor === undefined ? saved : { load: async () => startCursor, save: (cursor) => saved.save(cursor) };
  const limit = integerFlag(args, 'limit');
  const asCloudEvents = args.switches.has('cloudevents');
  const format = (event: TributaryEvent) => JSON.stringify(asCloudEvents ? toCloudEvent(event) : event);

  let count = 0;
  let last: string | undefined;
  const pages = watch(listing(client, args), {
    checkpoint,
    interval: (integerFlag(args, 'interval') ?? 30) * 1000,
    signal: io.signal,
  });
  try {
    for await (const page of pages) {
      if (page.items.length > 0) await write(io.stdout, `${page.items.map(format).join('\n')}\n`, io.signal);
      count += page.items.length;
      last = page.cursor;
      // Whole pages only, so the saved cursor is exact.
      if (limit !== undefined && count >= limit) break;
      if (!follow && !page.hasMore) break;
    }
  } catch (error) {
    // A signal during a page's write ends the command as a signal between pages does, that page unsaved.
    if (!io.signal.aborted || error !== io.signal.reason) throw error;
  }
  // Stopped by a failed stdout rather than by the listing's end: nothing more counts as written.
  output.throwIfAborted();
  // The loop left before asking for the next page, so the last page is committed here.
  if (last !== undefined) await checkpoint.save(last);
  // A pull cut short by a signal is not a complete pull: its pages are saved, and the exit code says so
  // (`pull && next` must not go on). For `watch` a signal is the way it ends.
  const interrupted = !follow && io.signal.aborted;
  await write(io.stderr, `tributary: ${count} ${provider} events${interrupted ? ' (interrupted)' : ''}${last === undefined ? '' : `; cursor ${last}`}\n`);
  return interrupted ? interruptedExitCode(io.signal) : 0;
}
