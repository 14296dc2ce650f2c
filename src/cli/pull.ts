/**
 * `tributary pull` and `tributary watch`: events as NDJSON on stdout, one page at a time, with the
 * cursor saved after each page has been written, so a pipeline can stop anywhere and resume.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { fileCheckpoint, memoryCheckpoint, type Checkpoint } from '../core/checkpoint.js';
import { toCloudEvent } from '../core/cloudevent.js';
import { closeRateLimiters } from '../core/rate-limit.js';
import type { TributaryEvent } from '../core/event.js';
import { watch } from '../core/watch.js';
import { integerFlag, stringFlag, type ParsedArgs } from './args.js';
import { optionsFromEnv, optionsFromFile, withSharedLimit } from './options.js';
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
    const value = stringFlag(args, name);
    if (value !== undefined) query[name] = value;
  }
  const pageSize = integerFlag(args, 'page-size');
  if (pageSize !== undefined) query.pageSize = pageSize;
  const extra = stringFlag(args, 'query');
  if (extra !== undefined) {
    for (const pair of extra.split('&')) {
      const eq = pair.indexOf('=');
      if (eq > 0) query[pair.slice(0, eq)] = decodeURIComponent(pair.slice(eq + 1));
    }
  }
  return query;
}

async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

export async function pull(provider: string, args: ParsedArgs, io: CliIo, follow: boolean): Promise<number> {
  const factory = await loadFactory(provider);
  const configFile = stringFlag(args, 'config');
  const options = withSharedLimit({
    ...(configFile === undefined ? {} : await optionsFromFile(configFile)),
    ...optionsFromEnv(provider, io.env),
    signal: io.signal,
  });
  try {
    return await collect(factory(options), provider, args, io, follow);
  } finally {
    // A limit shared through Redis holds a connection that would keep the process alive.
    await closeRateLimiters();
  }
}

async function collect(
  client: EventsClient,
  provider: string,
  args: ParsedArgs,
  io: CliIo,
  follow: boolean,
): Promise<number> {
  const cursorFile = stringFlag(args, 'cursor-file');
  const checkpoint: Checkpoint = cursorFile === undefined ? memoryCheckpoint() : fileCheckpoint(cursorFile);
  const startCursor = stringFlag(args, 'cursor');
  const limit = integerFlag(args, 'limit');
  const asCloudEvents = args.flags.get('cloudevents') === true;
  const format = (event: TributaryEvent) => JSON.stringify(asCloudEvents ? toCloudEvent(event) : event);

  let count = 0;
  let last: string | undefined;
  const pages = watch(client.events.list(queryFrom(args)), {
    checkpoint,
    ...(startCursor === undefined ? {} : { cursor: startCursor }),
    interval: (integerFlag(args, 'interval') ?? 30) * 1000,
    signal: io.signal,
  });
  for await (const page of pages) {
    if (page.items.length > 0) await write(io.stdout, `${page.items.map(format).join('\n')}\n`);
    count += page.items.length;
    last = page.cursor;
    // Whole pages only, so the saved cursor is exact.
    if (limit !== undefined && count >= limit) break;
    if (!follow && !page.hasMore) break;
  }
  // The loop left before asking for the next page, so the last page is committed here.
  if (last !== undefined) await checkpoint.save(last);
  await write(io.stderr, `tributary: ${count} ${provider} events${last === undefined ? '' : `; cursor ${last}`}\n`);
  return 0;
}
