import { getEventListeners } from 'node:events';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileCheckpoint, memoryCheckpoint } from '../../src/core/checkpoint.js';
import { scaledClock } from '../../src/core/clock.js';
import { ConfigurationError, CursorError } from '../../src/core/errors.js';
import { merge } from '../../src/core/merge.js';
import { watch, type WatchOptions } from '../../src/core/watch.js';
import type { Page, Paginated } from '../../src/core/paginate/types.js';
import { tines } from '../../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL, tinesEmulator } from '../../src/providers/tines/emulator.js';
import { fujitsu } from '../../src/providers/fujitsu/index.js';
import { DEFAULT_FUJITSU_TENANT, DEFAULT_FUJITSU_TOKEN, fujitsuEmulator } from '../../src/providers/fujitsu/emulator.js';
import { sleepsOnlyClock } from '../support/stepped-clock.js';
import { unanswered } from '../support/unanswered-source.js';

/** What "at once" allows: far beyond a loaded machine's stall of a second or two, far short of the minute between polls. */
const AT_ONCE_MS = 15_000;

const clock = scaledClock(0.001);

async function* slowItems<T>(items: T[], delayMs: number): AsyncGenerator<T> {
  for (const item of items) {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    yield item;
  }
}
// Ids are equal-length decimal strings here, so a string sort is a numeric sort.

function tenant(events: number) {
  const emulator = tinesEmulator.create({ events, seed: 3, clock });
  const client = tines({
    baseUrl: 'https://tenant.tines.com',
    token: DEFAULT_TINES_CREDENTIAL.key,
    fetch: emulator.fetch,
    clock,
  });
  return { emulator, client };
}

describe('watch', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('drains, then yields exactly the events that arrive later, each once', async () => {
    const { emulator, client } = tenant(37);
    const controller = new AbortController();
    const checkpoint = memoryCheckpoint();
    const seen: string[] = [];
    let polls = 0;
    for await (const page of watch(client.events.list({ pageSize: 10 }), {
      checkpoint,
      interval: 1_000,
      clock,
      signal: controller.signal,
    })) {
      seen.push(...page.items.map((event) => event.id));
      if (!page.hasMore) {
        polls += 1;
        if (polls === 1) for (let i = 0; i < 12; i++) emulator.store.emit();
        if (polls === 3) controller.abort();
      }
    }
    expect(seen).toHaveLength(37 + 12);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(emulator.store.events.map((event) => String(event.id)).sort());
  });

  it('closes at once when merged watches are left, though one waits a minute between polls', async () => {
    const one = tenant(5);
    const two = tenant(3);
    const seen: string[] = [];
    const started = performance.now();
    for await (const page of merge(watch(one.client.events.list(), { interval: 60_000 }), watch(two.client.events.list(), { interval: 60_000 }))) {
      seen.push(...page.items.map((event) => event.id));
      if (seen.length === 8) break;
    }
    expect(performance.now() - started).toBeLessThan(AT_ONCE_MS);
  });

  it('commits a page only after the consumer asked for the next one', async () => {
    const { client } = tenant(25);
    const checkpoint = memoryCheckpoint();
    const pages = watch(client.events.list({ pageSize: 10 }), { checkpoint, interval: 0, clock });
    const first = (await pages.next()).value as Page<unknown>;
    expect(checkpoint.value).toBeUndefined();
    const second = (await pages.next()).value as Page<unknown>;
    expect(checkpoint.value).toBe(first.cursor);
    await pages.return();
    expect(checkpoint.value).toBe(first.cursor);
    expect(second.cursor).not.toBe(first.cursor);
  });

  it('resumes from a file checkpoint without repeating or losing an event', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tributary-watch-'));
    dirs.push(dir);
    const file = join(dir, 'nested', 'tines.cursor');
    const { emulator, client } = tenant(45);
    const seen: string[] = [];
    // First run: two pages handled, the third in hand when the process "crashes".
    let handled = 0;
    for await (const page of watch(client.events.list({ pageSize: 10 }), { checkpoint: fileCheckpoint(file), clock })) {
      if (handled === 2) break;
      seen.push(...page.items.map((event) => event.id));
      handled += 1;
    }
    expect((await readFile(file, 'utf8')).trim()).not.toBe('');
    const controller = new AbortController();
    for await (const page of watch(client.events.list({ pageSize: 10 }), {
      checkpoint: fileCheckpoint(file),
      clock,
      interval: 0,
      signal: controller.signal,
    })) {
      seen.push(...page.items.map((event) => event.id));
      if (!page.hasMore) controller.abort();
    }
    // The tenant serves newest first: compare as sets, and check that nothing came twice.
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(emulator.store.events.map((event) => String(event.id)).sort());
  });

  it('refuses a bad interval with a ConfigurationError when the watch is made, before any request', () => {
    const { emulator, client } = tenant(1);
    for (const interval of [-1, Number.NaN, Infinity, '10' as unknown as number]) {
      expect(() => watch(client.events.list(), { interval })).toThrow(ConfigurationError);
    }
    expect(emulator.requests).toHaveLength(0);
  });

  it('refuses what is no listing with a ConfigurationError naming it when the watch is made', () => {
    const { emulator, client } = tenant(1);
    // The client's events or its uncalled list(), easy slips from JavaScript, failed with a TypeError
    // of a minified name (`e$1.byPage is not a function`) at the first page.
    // A merge has no cursor to resume from: its watches are merged instead.
    for (const source of [client.events, client.events.list, [], null, merge(client.events.list())]) {
      expect(() => watch(source as never), String(source)).toThrow(
        expect.objectContaining({ name: 'ConfigurationError', option: 'source', message: expect.stringContaining('client.events.list()') }),
      );
    }
    expect(emulator.requests).toHaveLength(0);
  });

  it('refuses a misspelt or ill-typed option with a ConfigurationError naming it when the watch is made, before any request', () => {
    const { emulator, client } = tenant(1);
    const cases: Array<[unknown, string]> = [
      // Misspelt, the checkpoint saved nothing: a restart listed everything again.
      [{ checkpont: memoryCheckpoint() }, 'checkpont'],
      // A path where the store goes failed with a TypeError; a store without `save` only after a page.
      [{ checkpoint: 'pce.cursor' }, 'checkpoint'],
      [{ checkpoint: { load: async () => undefined } }, 'checkpoint'],
      [{ signal: 'stop' }, 'signal'],
      // Only an AbortSignal is listened to: a record that merely says whether it is aborted failed at the first wait.
      [{ signal: { aborted: false } }, 'signal'],
      [{ clock: {} }, 'clock'],
      [null, 'options'],
      // A Map has no members of its own to read: its checkpoint would be ignored, and everything listed again.
      [new Map([['checkpoint', memoryCheckpoint()]]), 'options'],
    ];
    for (const [options, option] of cases) {
      expect(() => watch(client.events.list(), options as WatchOptions), option).toThrow(
        expect.objectContaining({ name: 'ConfigurationError', option }),
      );
    }
    // An option given as `undefined` is as if not given.
    expect(() => watch(client.events.list(), { checkpoint: undefined, signal: undefined, clock: undefined })).not.toThrow();
    // So is one the watch does not know, as with a factory's options and a query.
    expect(() => watch(client.events.list(), { checkpont: undefined } as WatchOptions)).not.toThrow();
    expect(emulator.requests).toHaveLength(0);
  });

  it('commits nothing of a page merged with another source before the consumer is done with it', async () => {
    const { client } = tenant(30);
    const checkpoint = memoryCheckpoint();
    const merged = merge(watch(client.events.list({ pageSize: 10 }), { checkpoint, interval: 60_000, clock }), slowItems(['x'], 1));
    const first = (await merged.next()).value as Page<unknown> | string;
    // The page (or the other source's item) is in hand: nothing of the watch is committed yet.
    expect(checkpoint.value).toBeUndefined();
    let page = first;
    while (typeof page === 'string') page = (await merged.next()).value as Page<unknown> | string;
    expect(checkpoint.value).toBeUndefined();
    // Only asking for what comes after the page commits it.
    let after = (await merged.next()).value as Page<unknown> | string;
    while (typeof after === 'string') after = (await merged.next()).value as Page<unknown> | string;
    expect(checkpoint.value).toBe(page.cursor);
    await merged.return();
  });

  it('commits nothing of a page of one watch given twice to a merge before the consumer is done with it, and closes it once', async () => {
    const { client } = tenant(30);
    const checkpoint = memoryCheckpoint();
    const pages = watch(client.events.list({ pageSize: 10 }), { checkpoint, interval: 60_000, clock });
    let closes = 0;
    const close = pages.return.bind(pages);
    pages.return = (value) => {
      closes += 1;
      return close(value);
    };
    const merged = merge(pages, pages);
    const first = (await merged.next()).value as Page<unknown>;
    // Time for a second next() of the watch, had the merge asked one, to list and commit.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(checkpoint.value).toBeUndefined();
    await merged.next();
    expect(checkpoint.value).toBe(first.cursor);
    await merged.return();
    expect(closes).toBe(1);
  });

  it('closes a merge of merges at once, asking no watch for another page', async () => {
    const [one, two, three] = [tenant(5), tenant(3), tenant(2)];
    // The outer source answers last: the inner merge is then waiting on its watches, between polls.
    three.emulator.faults.add({ kind: 'latency', ms: 100_000 });
    const interval = { interval: 60_000 };
    const started = performance.now();
    let seen = 0;
    for await (const page of merge(merge(watch(one.client.events.list(), interval), watch(two.client.events.list(), interval)), watch(three.client.events.list(), interval))) {
      seen += page.items.length;
      if (seen === 10) break;
    }
    expect(performance.now() - started).toBeLessThan(AT_ONCE_MS);
    const asked = [one, two, three].map(({ emulator }) => emulator.requests.length);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect([one, two, three].map(({ emulator }) => emulator.requests.length)).toEqual(asked);
  });

  it('throws a checkpoint that failed to save, even while its signal stops the watch', async () => {
    const { client } = tenant(30);
    const controller = new AbortController();
    const checkpoint = {
      load: async () => undefined,
      save: async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw new Error('checkpoint store unavailable');
      },
    };
    const failed = (async () => {
      for await (const _page of watch(client.events.list({ pageSize: 10 }), { checkpoint, signal: controller.signal })) {
        // The shutdown begins while the save of the first page runs.
        setTimeout(() => controller.abort(), 10);
      }
    })();
    await expect(failed).rejects.toThrow('checkpoint store unavailable');
  });

  it('fails the break out of a merge when the last page handled of a watch in it could not be saved', async () => {
    // The save fails while the consumer is still on the other source's item, or only once the break
    // has begun closing the sources.
    for (const when of ['before the break', 'during the break'] as const) {
      const { client } = tenant(5);
      let fail = (): void => {};
      let saving = (): void => {};
      const asked = new Promise<void>((resolve) => (saving = resolve));
      const checkpoint = {
        load: async () => undefined,
        save: () => {
          saving();
          return new Promise<void>((_resolve, reject) => (fail = () => reject(new Error('checkpoint store unavailable'))));
        },
      };
      // The other source answers once the watch's page was handled and its save asked for.
      async function* other(): AsyncGenerator<string> {
        await asked;
        yield 'other';
      }
      const merged = (async () => {
        for await (const item of merge(watch(client.events.list({ pageSize: 10 }), { checkpoint, interval: 60_000, clock }), other())) {
          if (typeof item !== 'string') continue;
          if (when === 'before the break') {
            fail();
            await new Promise((resolve) => setTimeout(resolve, 10));
          } else {
            setTimeout(fail, 10);
          }
          break;
        }
      })();
      await expect(merged, when).rejects.toThrow('checkpoint store unavailable');
    }
  });

  it("ends the wait between polls when the client's own signal aborts, failing with its reason", async () => {
    const emulator = tinesEmulator.create({ events: 3, seed: 3, clock });
    const controller = new AbortController();
    const client = tines({ baseUrl: 'https://tenant.tines.com', token: DEFAULT_TINES_CREDENTIAL.key, fetch: emulator.fetch, clock, signal: controller.signal });
    const reason = new Error('shutting down');
    const started = performance.now();
    const watching = (async () => {
      // A minute of real time between polls: only the client's signal can end the wait.
      for await (const _page of watch(client.events.list(), { interval: 60_000 })) setTimeout(() => controller.abort(reason), 20);
    })();
    await expect(watching).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(AT_ONCE_MS);
  });

  it('leaves no listener on its signal when dropped without return() after a page', async () => {
    const { client } = tenant(30);
    const shutdown = new AbortController();
    for (let i = 0; i < 20; i++) await watch(client.events.list({ pageSize: 10 }), { signal: shutdown.signal }).next();
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
  });

  it('stops at once, quietly, while its checkpoint is still loading', async () => {
    const { emulator, client } = tenant(3);
    // A store that never answers (a network volume gone away).
    const checkpoint = { load: () => new Promise<undefined>(() => undefined), save: async () => undefined };
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 20);
    const pages: unknown[] = [];
    for await (const page of watch(client.events.list(), { checkpoint, signal: controller.signal })) pages.push(page);
    // Closed by a merge's break rather than by its signal.
    const closed = merge(watch(client.events.list(), { checkpoint }), slowItems(['x'], 1));
    for await (const _item of closed) break;
    expect(pages).toEqual([]);
    expect(emulator.requests).toHaveLength(0);
    expect(performance.now() - started).toBeLessThan(AT_ONCE_MS);
  });

  it('abandons the request in flight when its signal stops the watch', async () => {
    let aborted = false;
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => {
          aborted = true;
          reject(init.signal?.reason as Error);
        });
      });
    const client = tines({ baseUrl: 'https://tenant.tines.com', token: DEFAULT_TINES_CREDENTIAL.key, fetch: hanging, retry: false });
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 20);
    const pages: unknown[] = [];
    for await (const page of watch(client.events.list(), { signal: controller.signal })) pages.push(page);
    expect(pages).toEqual([]);
    expect(aborted).toBe(true);
    expect(performance.now() - started).toBeLessThan(AT_ONCE_MS);
  });
});

describe('watch, where it starts and stops', () => {
  it("starts from the checkpoint's cursor, and from the cursor option only when the checkpoint has none", async () => {
    const { client } = tenant(35);
    const listing = client.events.list({ pageSize: 10 });
    const listed: Array<Page<{ id: string }>> = [];
    for await (const page of listing.byPage()) listed.push(page);
    const [first, second, third] = listed;
    const ids = (page: Page<{ id: string }> | undefined): string[] => (page?.items ?? []).map((event) => event.id);
    const firstOf = async (options: WatchOptions): Promise<string[]> => {
      const pages = watch(listing, { ...options, clock });
      const page = (await pages.next()).value as Page<{ id: string }>;
      await pages.return();
      return ids(page);
    };
    expect(await firstOf({ checkpoint: memoryCheckpoint(first?.cursor), cursor: second?.cursor })).toEqual(ids(second));
    expect(await firstOf({ checkpoint: memoryCheckpoint(), cursor: second?.cursor })).toEqual(ids(third));
  });

  it('asks the listing for pages of its pageSize', async () => {
    const { emulator, client } = tenant(12);
    const pages = watch(client.events.list(), { pageSize: 5, clock });
    await pages.next();
    await pages.return();
    expect(emulator.requests[0]?.query.get('per_page')).toBe('5');
  });

  it('sends no request when its signal was aborted before it began', async () => {
    const { emulator, client } = tenant(5);
    const pages = watch(client.events.list(), { signal: AbortSignal.abort(), clock });
    expect(await pages.next()).toEqual({ done: true, value: undefined });
    expect(emulator.requests).toHaveLength(0);
  });

  it('commits the page in hand when stopped, then ends without asking for another page', async () => {
    const { client } = tenant(25);
    const checkpoint = memoryCheckpoint();
    const controller = new AbortController();
    const pages = watch(client.events.list({ pageSize: 10 }), { checkpoint, signal: controller.signal, clock });
    const first = (await pages.next()).value as Page<unknown>;
    controller.abort();
    expect(await pages.next()).toEqual({ done: true, value: undefined });
    expect(checkpoint.value).toBe(first.cursor);
  });

  it('closes its listing when closed with a page in hand, ending the request that fetches the next', async () => {
    const emulator = tinesEmulator.create({ events: 25, seed: 3, clock });
    const aborted: string[] = [];
    let asked = (): void => {};
    const nextAsked = new Promise<void>((resolve) => (asked = resolve));
    // The first page is answered; the next, which the listing asks for while the consumer holds the
    // first, hangs until it is aborted.
    const fetch: typeof globalThis.fetch = (input, init) => {
      if (!String(input instanceof Request ? input.url : input).includes('page=2')) return emulator.fetch(input, init);
      asked();
      return new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => {
          aborted.push('page 2');
          reject(init.signal?.reason as Error);
        });
      });
    };
    const client = tines({ baseUrl: 'https://tenant.tines.com', token: DEFAULT_TINES_CREDENTIAL.key, fetch, clock, retry: false });
    const pages = watch(client.events.list({ pageSize: 10 }), { clock });
    await pages.next();
    await nextAsked;
    await pages.return();
    expect(aborted).toEqual(['page 2']);
  });

  it('fails, though no stop was asked, when the listing fails with an AbortError of its own', async () => {
    const controller = new AbortController();
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error));
      });
    const client = tines({ baseUrl: 'https://tenant.tines.com', token: DEFAULT_TINES_CREDENTIAL.key, fetch: hanging, retry: false, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const watching = (async () => {
      for await (const _page of watch(client.events.list(), { clock })) {
        // No page comes: the only request hangs until the client's signal ends it.
      }
    })();
    await expect(watching).rejects.toMatchObject({ name: 'AbortError' });
  });

  it("throws a save that failed with an AbortError of the store's own while its signal stops the watch", async () => {
    const { client } = tenant(30);
    const controller = new AbortController();
    const timeout = new DOMException('the store did not answer in time', 'AbortError');
    const checkpoint = {
      load: async () => undefined,
      save: async () => {
        controller.abort();
        throw timeout;
      },
    };
    const watching = (async () => {
      for await (const _page of watch(client.events.list({ pageSize: 10 }), { checkpoint, signal: controller.signal, clock })) {
        // The save of this page begins once the next one is asked for.
      }
    })();
    await expect(watching).rejects.toBe(timeout);
  });

  it('waits 30 s between polls when no interval is given', async () => {
    // One page a poll, whatever the cursor: the poll after the wait yields at once.
    const pages = async function* (): AsyncGenerator<Page<string>> {
      yield { items: ['a'], cursor: 'tail', hasMore: false } as Page<string>;
    };
    const listing = { byPage: pages, [Symbol.asyncIterator]: () => pages()[Symbol.asyncIterator]() } as unknown as Paginated<string>;
    const waits = sleepsOnlyClock();
    const watching = watch(listing, { clock: waits });
    await watching.next();
    await watching.next();
    await watching.return();
    expect(waits.slept).toEqual([30_000]);
  });

  it('leaves no listener on its signal once its listing failed', async () => {
    const shutdown = new AbortController();
    const pages = async function* (): AsyncGenerator<Page<string>> {
      yield* [];
      throw new CursorError('Invalid cursor: unknown to this listing', { reason: 'malformed' });
    };
    const listing = { byPage: pages, [Symbol.asyncIterator]: () => pages()[Symbol.asyncIterator]() } as unknown as Paginated<string>;
    for (let i = 0; i < 3; i++) await expect(watch(listing, { signal: shutdown.signal, clock }).next()).rejects.toThrow(CursorError);
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
  });

  it('refuses a checkpoint that holds only white space as no cursor, naming the checkpoint', async () => {
    const { emulator, client } = tenant(5);
    const pages = watch(client.events.list(), { checkpoint: memoryCheckpoint(' \n '), clock });
    await expect(pages.next()).rejects.toThrow(/the checkpoint loaded .*not a cursor/);
    expect(emulator.requests).toHaveLength(0);
  });

  it('says the checkpoint loaded a refused cursor only when it did', async () => {
    // A listing that refuses any cursor but the first: the one the checkpoint loaded is accepted, the
    // one the first poll ended at is not.
    const refusing = (accepted: string): Paginated<string> => {
      const pages = async function* (options?: { cursor?: string }): AsyncGenerator<Page<string>> {
        if (options?.cursor !== accepted) throw new CursorError('Invalid cursor: unknown to this listing', { reason: 'malformed' });
        yield { items: ['a'], cursor: `${accepted}-next`, hasMore: false } as Page<string>;
      };
      return { byPage: pages, [Symbol.asyncIterator]: () => pages()[Symbol.asyncIterator]() } as unknown as Paginated<string>;
    };
    const later = watch(refusing('saved'), { checkpoint: memoryCheckpoint('saved'), interval: 0, clock });
    await later.next();
    await expect(later.next()).rejects.toThrow(/^Invalid cursor: unknown to this listing$/);
    const loaded = watch(refusing('other'), { checkpoint: memoryCheckpoint('saved'), interval: 0, clock });
    await expect(loaded.next()).rejects.toThrow(/; the checkpoint loaded it$/);
  });
});

describe('memoryCheckpoint', () => {
  it('loads the last cursor saved: a watch started again on it in the same process resumes there, not from the start', async () => {
    const { client } = tenant(25);
    const checkpoint = memoryCheckpoint();
    const first = watch(client.events.list({ pageSize: 10 }), { checkpoint, clock });
    const handled = (await first.next()).value as Page<{ id: string }>;
    const next = (await first.next()).value as Page<{ id: string }>;
    await first.return();
    const again = watch(client.events.list({ pageSize: 10 }), { checkpoint, clock });
    const resumed = (await again.next()).value as Page<{ id: string }>;
    await again.return();
    expect(checkpoint.value).toBe(handled.cursor);
    expect(resumed.items.map((event) => event.id)).toEqual(next.items.map((event) => event.id));
  });
});

describe('fileCheckpoint', () => {
  // An empty path loaded as a missing file, so a watch listed its first page and failed only at its
  // save; a number read a file descriptor.
  it.each([[''], [42], [undefined], [null], ['cursor\u0000file']])('refuses %j as its path at once, before any request', async (path) => {
    const { emulator, client } = tenant(5);
    let error: unknown;
    try {
      const pages = watch(client.events.list(), { checkpoint: fileCheckpoint(path as string), clock });
      await pages.next();
      await pages.next();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ option: 'path' });
    expect(emulator.requests).toHaveLength(0);
  });

  it('refuses an empty file rather than starting the listing over, and keeps the file to its owner', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tributary-checkpoint-'));
    try {
      const path = join(dir, 'c');
      await writeFile(path, '  \n');
      await expect(fileCheckpoint(path).load()).rejects.toThrow(CursorError);
      await expect(fileCheckpoint(path).load()).rejects.toMatchObject({ reason: 'checkpoint' });
      await rm(path);
      await fileCheckpoint(path).save('cursor');
      expect((await stat(path)).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('makes its folder at every save: neither a first save that could not nor a folder removed since stops the next', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tributary-checkpoint-'));
    try {
      // A file where the folder goes: the first save cannot make it.
      await writeFile(join(dir, 'state'), 'x');
      const checkpoint = fileCheckpoint(join(dir, 'state', 'pce', 'c'));
      await expect(checkpoint.save('one')).rejects.toThrow();
      await rm(join(dir, 'state'));
      await checkpoint.save('two');
      expect(await checkpoint.load()).toBe('two');
      // The folder removed between two saves (a temporary folder cleaned, a volume remounted).
      await rm(join(dir, 'state'), { recursive: true });
      await checkpoint.save('three');
      expect(await checkpoint.load()).toBe('three');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('leaves no temporary file behind when a save fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tributary-checkpoint-'));
    try {
      // The cursor's path is a directory: the rename fails.
      await mkdir(join(dir, 'c'));
      await expect(fileCheckpoint(join(dir, 'c')).save('cursor')).rejects.toThrow();
      expect(await readdir(dir)).toEqual(['c']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('removes the temporary files of saves a crash cut short, not those of a save in progress', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tributary-checkpoint-'));
    try {
      const abandoned = join(dir, 'c.4242.0b9d2f4e-8a1c-4c3e-9f1a-2d3b4c5d6e7f.tmp');
      const inProgress = join(dir, 'c.4243.1b9d2f4e-8a1c-4c3e-9f1a-2d3b4c5d6e7f.tmp');
      const unrelated = join(dir, 'c.notes.tmp');
      for (const file of [abandoned, inProgress, unrelated]) await writeFile(file, 'x');
      const hourAgo = new Date(Date.now() - 3_600_000);
      await utimes(abandoned, hourAgo, hourAgo);
      await utimes(unrelated, hourAgo, hourAgo);
      await fileCheckpoint(join(dir, 'c')).save('cursor');
      expect((await readdir(dir)).sort()).toEqual(['c', 'c.4243.1b9d2f4e-8a1c-4c3e-9f1a-2d3b4c5d6e7f.tmp', 'c.notes.tmp']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('saves through a symbolic link into its target, keeping the link', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tributary-checkpoint-'));
    try {
      await mkdir(join(dir, 'volume'));
      await writeFile(join(dir, 'volume', 'c'), 'old\n');
      await symlink(join(dir, 'volume', 'c'), join(dir, 'c'));
      await fileCheckpoint(join(dir, 'c')).save('new');
      expect((await lstat(join(dir, 'c'))).isSymbolicLink()).toBe(true);
      expect(await readFile(join(dir, 'volume', 'c'), 'utf8')).toBe('new\n');
      // A first run: the link leads to a file not written yet, relative to the link's folder.
      await symlink('volume/first', join(dir, 'first'));
      await fileCheckpoint(join(dir, 'first')).save('first');
      expect((await lstat(join(dir, 'first'))).isSymbolicLink()).toBe(true);
      expect(await readFile(join(dir, 'volume', 'first'), 'utf8')).toBe('first\n');
      expect(await fileCheckpoint(join(dir, 'first')).load()).toBe('first');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('loads nothing before the first save, then the last cursor saved', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tributary-checkpoint-'));
    try {
      const checkpoint = fileCheckpoint(join(dir, 'c'));
      expect(await checkpoint.load()).toBeUndefined();
      await checkpoint.save('a');
      await checkpoint.save('b');
      expect(await checkpoint.load()).toBe('b');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('saves asked for at once all succeed, the last one left in the file, nothing else beside it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tributary-checkpoint-'));
    try {
      const checkpoint = fileCheckpoint(join(dir, 'c'));
      const other = fileCheckpoint(join(dir, 'c'));
      await Promise.all([...Array.from({ length: 20 }, (_, i) => checkpoint.save(`cursor-${i}`)), other.save('other')]);
      await Promise.all(Array.from({ length: 20 }, (_, i) => checkpoint.save(`again-${i}`)));
      expect(await checkpoint.load()).toBe('again-19');
      expect(await readdir(dir)).toEqual(['c']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('leaves the cursor of the last save asked for, though an earlier one takes longer to write', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tributary-checkpoint-'));
    try {
      const checkpoint = fileCheckpoint(join(dir, 'c'));
      // Megabytes take many writes and a long flush; the cursor after it, one of each.
      await Promise.all([checkpoint.save('x'.repeat(8 * 2 ** 20)), checkpoint.save('later')]);
      expect(await checkpoint.load()).toBe('later');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('merge', () => {
  async function* slow<T>(items: T[], delayMs: number): AsyncGenerator<T> {
    for (const item of items) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      yield item;
    }
  }

  it('closes the other sources when one throws from next() at once', async () => {
    const open = unanswered();
    const throwing: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: () => {
          throw new Error('broken source');
        },
      }),
    };
    await expect((async () => {
      for await (const _ of merge(open.source, throwing)) break;
    })()).rejects.toThrow('broken source');
    expect(open.closed()).toBe(true);
  });

  it("merges two vendors' listings into a stream of either event, typed as a union", async () => {
    const tinesEmu = tinesEmulator.create({ seed: 3, events: 4 });
    const fujitsuEmu = fujitsuEmulator.create({ seed: 3, events: 3 });
    const t = tines({ baseUrl: 'https://tenant.tines.com', token: DEFAULT_TINES_CREDENTIAL.key, fetch: tinesEmu.fetch });
    const f = fujitsu({ baseUrl: 'https://database.example.com', tenantId: DEFAULT_FUJITSU_TENANT, token: DEFAULT_FUJITSU_TOKEN, fetch: fujitsuEmu.fetch });
    const seen: Array<'tines' | 'fujitsu'> = [];
    // No type argument: each source brings its own event type.
    for await (const event of merge(t.events.list(), f.events.list())) seen.push(event.provider);
    expect(seen.filter((p) => p === 'tines')).toHaveLength(4);
    expect(seen.filter((p) => p === 'fujitsu').length).toBeGreaterThan(0);
  });

  it('yields every item of every source', async () => {
    const out: string[] = [];
    for await (const item of merge(slow(['a1', 'a2', 'a3'], 1), slow(['b1', 'b2'], 2), slow([], 1))) out.push(item);
    expect(out.sort()).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
  });

  it('closes every source on break, and an aborted request in flight is no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const tenantOf = () => {
        const emulator = tinesEmulator.create({ seed: 3, events: 5 });
        emulator.faults.add({ kind: 'latency', ms: 100 });
        return tines({ baseUrl: 'https://tenant.tines.com', token: DEFAULT_TINES_CREDENTIAL.key, fetch: emulator.fetch });
      };
      for await (const event of merge(tenantOf().events.list({ pageSize: 1 }), tenantOf().events.list({ pageSize: 1 }))) {
        expect(event.provider).toBe('tines');
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });

  it('does not hold a fast source back behind a slow one', async () => {
    const out: string[] = [];
    for await (const item of merge(slow(['slow'], 200), slow(['f1', 'f2', 'f3'], 1))) out.push(item);
    expect(out).toEqual(['f1', 'f2', 'f3', 'slow']);
  });

  it('closes every source when the consumer breaks out', async () => {
    const closed: string[] = [];
    async function* tracked(name: string) {
      try {
        for (let i = 0; ; i++) {
          await new Promise((resolve) => setTimeout(resolve, 1));
          yield `${name}${i}`;
        }
      } finally {
        closed.push(name);
      }
    }
    for await (const item of merge(tracked('a'), tracked('b'))) if (item === 'a2') break;
    expect(closed.sort()).toEqual(['a', 'b']);
  });

  it('reads a listing given twice twice, each event twice, and ends at once given no source', async () => {
    const { emulator, client } = tenant(15);
    const listing = client.events.list({ pageSize: 10 });
    const ids: string[] = [];
    for await (const event of merge(listing, listing)) ids.push(event.id);
    const stored = emulator.store.events.map((event) => String(event.id));
    expect(ids.sort()).toEqual([...stored, ...stored].sort());
    await expect(merge().next()).resolves.toEqual({ done: true, value: undefined });
  });

  it('works over paginated listings of different providers', async () => {
    const one = tenant(15);
    const two = tenant(8);
    const listings: Paginated<{ id: string }>[] = [one.client.events.list(), two.client.events.list()];
    const all = [];
    for await (const event of merge(...listings)) all.push(event.id);
    expect(all).toHaveLength(23);
  });
});
