/**
 * `tributary pull` and `tributary watch`: events as NDJSON on stdout, one page at a time, with the
 * cursor saved after each page has been written, so a pipeline can stop anywhere and resume.
 */
import { isAbsolute, sep } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { fileCheckpoint, prepareCheckpointFolder, memoryCheckpoint, type Checkpoint } from '../core/checkpoint.js';
import { toCloudEvent } from '../core/cloudevent.js';
import { closeRateLimiters } from '../core/rate-limit.js';
import type { ProviderName, TributaryEvent } from '../core/event.js';
import { isRecord } from '../core/config.js';
import type { Paginated } from '../core/paginate/types.js';
import { watch } from '../core/watch.js';
import { integerFlag, UsageError, type ParsedArgs } from './args.js';
import { cloudEventLine, eventLine } from './event-line.js';
import { configWarnings } from './config-mode.js';
import { problemsError } from '../core/option-problems.js';
import { codeOnlyOption, envName, envVariableOf, mergeOptions, optionsFromEnv, optionsFromFile, settableOnly, withSharedLimit } from './options.js';
import { ConfigurationError, CursorError, isConfigurationError, isCursorError, type ConfigurationErrorReason, type ConfigurationProblem } from '../core/errors.js';
import { loadFactory, providerOf, type EventsClient } from './providers.js';
import { queryFrom, type CliQuery } from './query.js';
import { OutputError, readerGone, stdoutWriter, writeStatus, writesToNullDevice, type Write } from './output.js';
import { escapeControls } from '../core/shown-text.js';
import { onReaderGone } from './reader.js';

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}

/** 129 for SIGHUP, 130 for SIGINT, 143 for SIGTERM, as the reason the signal handler set says; 130 otherwise. */
export function interruptedExitCode(signal: AbortSignal): number {
  const code = (signal.reason as { exitCode?: unknown } | undefined)?.exitCode;
  return typeof code === 'number' ? code : 130;
}

export async function pull(name: string, args: ParsedArgs, io: CliIo, follow: boolean): Promise<number> {
  const provider = providerOf(name);
  // The command line is checked before anything is loaded or read.
  const query = queryFrom(provider, args);
  const configFile = args.values.get('config');
  // Listening for the whole command, not only while writing: a reader can leave while a request is in
  // flight, and an 'error' event with no listener would crash the process. It also stops that request.
  // From before the provider is loaded: a reader that has already gone ends the command before its
  // first request, instead of once the vendor's first answer (after a Retry-After, say) is written.
  const output = new AbortController();
  const onOutputError = (error: unknown) => output.abort(error);
  io.stdout.on('error', onOutputError);
  const stopAsking = askReader(io.stdout);
  const toStdout = stdoutWriter(io.stdout, onOutputError);
  const signal = AbortSignal.any([io.signal, output.signal]);
  try {
    const factory = await loadFactory(provider);
    const config = configFile === undefined ? undefined : { path: configFile, options: await optionsFromFile(configFile) };
    for (const warning of config === undefined ? [] : await configWarnings(config.path, config.options, provider)) {
      await writeStatus(io.stderr, `tributary: warning: ${warning}\n`);
    }
    const sources: OptionSources = { provider, env: io.env, config };
    const given = mergeOptions(config?.options ?? {}, optionsFromEnv(provider, io.env));
    refuseCodeOnly(given, sources);
    const client = build(factory, withSharedLimit({ ...given, signal }), sources);
    return await collect(listing(client, query), provider, args, { ...io, signal }, { write: toStdout, failed: output.signal }, follow);
  } catch (error) {
    const cause: unknown = output.signal.aborted ? output.signal.reason : error;
    // The reader went away (`tributary pull x | head -1`): end quietly and successfully, as `head`
    // users expect and as `set -o pipefail` needs; the page in hand stays uncommitted.
    if (readerGone(cause)) return 0;
    throw output.signal.aborted ? new OutputError(cause) : cause;
  } finally {
    stopAsking();
    // A failed write calls back before its stream's 'error' event, which a socket emits only once its
    // descriptor is closed: listening until then keeps that event from reaching no listener (a crash).
    if (io.stdout.destroyed) await finished(io.stdout, { cleanup: true }).catch(() => undefined);
    io.stdout.off('error', onOutputError);
    // A limit shared through Redis holds a connection that would keep the process alive.
    await closeRateLimiters();
  }
}

/**
 * A reader that leaves while nothing is written (a watch between polls) ends the command as a failed
 * write would, instead of at the next event. Only a stream over a descriptor (process.stdout) is asked.
 */
function askReader(stdout: Writable): () => void {
  const fd = (stdout as { fd?: unknown }).fd;
  if (typeof fd !== 'number') return () => undefined;
  return onReaderGone(fd, () => stdout.destroy(Object.assign(new Error('the reader of stdout has gone'), { code: 'EPIPE' })));
}

/** Where the factory options came from, to say where to fix one the factory refuses. */
interface OptionSources {
  provider: ProviderName;
  env: NodeJS.ProcessEnv;
  config: { path: string; options: Record<string, unknown> } | undefined;
}

/**
 * A function or live object set from the environment or `--config` is refused before the factory sees
 * it: its message would ask to correct a value that no text can correct, and the CLI's own `signal`
 * would silently replace one.
 */
function refuseCodeOnly(options: Record<string, unknown>, sources: OptionSources): void {
  const option = codeOnlyOption(options);
  if (option === undefined) return;
  throw new ConfigurationError(
    `Invalid option \`${option}\`: only a program can give it, not the environment or --config (remove ${where(option, sources).join(' and ')})`,
    { provider: sources.provider, option, reason: 'invalid' },
  );
}

/** The client; a factory option it refuses is named with where to set, or to fix, it. */
function build(factory: (options: Record<string, unknown>) => EventsClient, options: Record<string, unknown>, sources: OptionSources): EventsClient {
  try {
    return factory(options);
  } catch (error) {
    if (!isConfigurationError(error) || error.option === undefined) throw error;
    // Each problem with its own hint, so that every one is fixed in one run.
    const problems = error.problems.map((problem) => (problem.reason === 'unknown' ? { ...problem, message: settableOnly(problem.message) } : problem));
    const hint = ({ option, reason }: ConfigurationProblem) => (option === undefined ? undefined : optionHint(reason, option, sources));
    throw problemsError(problems, { provider: error.provider, operation: error.operation }, hint);
  }
}

/**
 * A missing option is set with its variable. One that was set (a refused value, an option set by
 * mistake such as `timout`) is named where it was set: naming the variable that would set it would
 * send the user to set a second one.
 */
function optionHint(reason: ConfigurationErrorReason, option: string, sources: OptionSources): string {
  const places = where(option, sources);
  if (places.length === 0) return `set it with ${envName(sources.provider, option)} or in --config`;
  return `${reason === 'unknown' ? 'remove or correct' : 'correct or remove'} ${places.join(' and ')}`;
}

/** The variable and the `--config` key that set `option`, as far as either does. */
function where(option: string, sources: OptionSources): string[] {
  const variable = envVariableOf(sources.provider, option, sources.env);
  return [...(variable === undefined ? [] : [variable]), ...inConfig(sources.config, option)];
}

/** Where `--config` sets `option`, if it does. */
function inConfig(config: OptionSources['config'], option: string): string[] {
  return config !== undefined && hasOption(config.options, option) ? [`\`${option}\` in --config ${config.path}`] : [];
}

/** Whether `options` holds the dotted `option` (`rateLimit.requets`). */
function hasOption(options: Record<string, unknown>, option: string): boolean {
  const [head, ...rest] = option.split('.');
  if (head === undefined || !Object.hasOwn(options, head)) return false;
  const value = options[head];
  return rest.length === 0 || (isRecord(value) && hasOption(value, rest.join('.')));
}

/**
 * The listing of the command line's query. A query the client refuses is a mistake in the command
 * line, as an unknown flag is: it exits 2 (with the usage), naming the flag to fix rather than the
 * option behind it.
 */
function listing(client: EventsClient, { query, flagOf }: CliQuery): Paginated<TributaryEvent> {
  try {
    return client.events.list(query);
  } catch (error) {
    if (!isConfigurationError(error) || error.option === undefined) throw error;
    // Each problem with the flag it came from, so that every one is fixed in one run.
    const from = ({ option }: ConfigurationProblem) => (option === undefined ? undefined : `from ${flagOf(option)}`);
    throw new UsageError(problemsError(error.problems, error, from).message);
  }
}

/**
 * The checkpoint of `--cursor-file`; a path it refuses (`--cursor-file ''`) is a mistake in the command
 * line. Its folder is made, and a file created in it, now, as its first save would: a folder that cannot
 * be made (under `/proc`) or holds no file (`/proc/self`, sysfs, read-only) fails the command before its
 * first request, not after a page written that the save then loses.
 */
async function checkpointFile(given: string): Promise<Checkpoint> {
  const path = given === '' ? given : inWorkingFolder(given);
  let checkpoint: Checkpoint;
  try {
    checkpoint = fileCheckpoint(path);
  } catch (error) {
    if (!isConfigurationError(error)) throw error;
    throw new UsageError(`${error.message} (from --cursor-file)`);
  }
  await prepareCheckpointFolder(path);
  return checkpoint;
}

/**
 * A relative path as the working folder's: the checkpoint's messages then name the file by its whole
 * path, where a service's (whose working folder is `/` or one its unit sets) left the folder to guess.
 * Joined as text, not normalized, so that the system resolves `..` after a link as it would have.
 */
function inWorkingFolder(path: string): string {
  if (isAbsolute(path)) return path;
  const folder = process.cwd();
  return folder.endsWith(sep) ? `${folder}${path}` : `${folder}${sep}${path}`;
}

/**
 * A cursor is bound to its query, and the CLI's query is made of flags a later run easily leaves out
 * (`pull --since ... --cursor-file f`, then `watch --cursor-file f`): the hint names them.
 */
function withCursorHint(error: unknown): unknown {
  if (!isCursorError(error) || error.reason !== 'query') return error;
  const hint = '--since, --until, --type and --query must be the same as in the run that saved the cursor';
  return new CursorError(`${error.message}; ${hint}`, { provider: error.provider, operation: error.operation, reason: error.reason, cause: error });
}

/**
 * `--cursor` without the whitespace around it, as the cursor file's load reads its file: a cursor is
 * base64url, never whitespace, and reaches the command as text a shell or another tool carried (pasted
 * with CRLF, `"$(cat f)"` of a file written with `\r\n`), which the SDK refused as not base64url. The
 * SDK's `cursor` option stays exact: a program hands on the string it was given, and one it altered is
 * a mistake to report rather than to guess at.
 */
function cursorFlag(args: ParsedArgs): string | undefined {
  const value = args.values.get('cursor');
  const cursor = value?.trim();
  if (cursor === '') {
    throw new UsageError(`--cursor is empty${value === '' ? '' : ' (only whitespace)'}: give a cursor a run printed, or leave --cursor out to start afresh`);
  }
  return cursor;
}

async function collect(
  events: Paginated<TributaryEvent>,
  provider: ProviderName,
  args: ParsedArgs,
  io: CliIo,
  output: { write: Write; failed: AbortSignal },
  follow: boolean,
): Promise<number> {
  // The flags are read before the cursor file's folder is made: a mistake in one makes nothing.
  const startCursor = cursorFlag(args);
  // `--limit 0` wrote a whole page: the limit is only checked between pages.
  const limit = integerFlag(args, 'limit', 1);
  // 0 polled in a tight loop (164 requests a second against the emulator).
  const interval = (integerFlag(args, 'interval', 1) ?? 30) * 1000;
  const cursorFile = args.values.get('cursor-file');
  const saved: Checkpoint = cursorFile === undefined ? memoryCheckpoint() : await checkpointFile(cursorFile);
  // A `--cursor` given beside `--cursor-file` is where to start: it wins over the file's, which is
  // then saved as usual. Given as the watch's `cursor`, not loaded, so that a refusal of it does not
  // say the checkpoint held it.
  const checkpoint: Checkpoint = startCursor === undefined ? saved : { load: async () => undefined, save: (cursor) => saved.save(cursor) };
  const asCloudEvents = args.switches.has('cloudevents');
  const format = (event: TributaryEvent) => (asCloudEvents ? cloudEventLine(toCloudEvent(event)) : eventLine(event));

  let count = 0;
  let last: string | undefined;
  // Without `--cursor-file`, or with one that could not be saved, this line is the only record of where
  // the written events end.
  const reportResume = () =>
    last === undefined ? Promise.resolve() : writeStatus(io.stderr, `tributary: ${count} ${provider} events written before the failure; resume with --cursor ${last}\n`);
  // Events written to /dev/null (`> /dev/null`, or a service started with stdout closed, which Node
  // reopens as /dev/null) are gone, and the cursor file moves past them: not refused, as a cursor may be
  // moved on this way on purpose, but said before the first request.
  if (writesToNullDevice(io.stdout)) {
    const moved = cursorFile === undefined ? '' : `, and the cursor saved to ${escapeControls(inWorkingFolder(cursorFile))} moves past them`;
    await writeStatus(io.stderr, `tributary: warning: stdout is /dev/null, so the events are discarded${moved}\n`);
  }
  const pages = watch(events, {
    checkpoint,
    cursor: startCursor,
    interval,
    signal: io.signal,
  });
  try {
    for await (const page of pages) {
      if (page.items.length > 0) await output.write(`${page.items.map(format).join('\n')}\n`, io.signal);
      count += page.items.length;
      last = page.cursor;
      // Whole pages only, so the saved cursor is exact.
      if (limit !== undefined && count >= limit) break;
      if (!follow && !page.hasMore) break;
    }
  } catch (error) {
    // A signal during a page's write ends the command as a signal between pages does, that page unsaved.
    if (!io.signal.aborted || error !== io.signal.reason) {
      await reportResume();
      throw withCursorHint(error);
    }
  }
  // Stopped by a failed stdout rather than by the listing's end: nothing more counts as written. A
  // reader gone ends the command; any other refusal fails it, which is told with where to resume.
  if (output.failed.aborted) {
    if (!readerGone(output.failed.reason)) await reportResume();
    throw output.failed.reason;
  }
  // The loop left before asking for the next page, so the last page is committed here.
  if (last !== undefined) {
    try {
      await checkpoint.save(last);
    } catch (error) {
      await reportResume();
      throw error;
    }
  }
  // A pull cut short by a signal is not a complete pull: its pages are saved, and the exit code says so
  // (`pull && next` must not go on). For `watch` a signal is the way it ends. `io.signal` also follows
  // stdout: a reader that left once every page was written (`| head -c 300` while the cursor is saved)
  // cut nothing short.
  const interrupted = !follow && io.signal.aborted && !output.failed.aborted;
  await writeStatus(io.stderr, `tributary: ${count} ${provider} events${interrupted ? ' (interrupted)' : ''}${last === undefined ? '' : `; cursor ${last}`}\n`);
  return interrupted ? interruptedExitCode(io.signal) : 0;
}
