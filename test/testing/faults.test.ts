import { afterEach, describe, expect, it } from 'vitest';
import { isConfigurationError } from '../../src/core/errors.js';
import { createGenericEmulator, type FaultKind, type FaultSchedule, type FaultSpec } from '../../src/testing/index.js';
import { openWire, requestBytes } from '../support/http1-client.js';
import { manualClock, observe, openTransport, TRANSPORTS, type Transport } from './support.js';

const URL_OK = 'https://api.test.example/offset?count=5';

/** What each fault kind looks like to a plain fetch client. */
const KINDS: ReadonlyArray<[FaultKind, string]> = [
  [{ kind: 'rate-limit', retryAfter: 7 }, '429 7'],
  [{ kind: 'status', status: 503 }, '503'],
  [{ kind: 'status', status: 500 }, '500'],
  [{ kind: 'reset' }, 'reset'],
  [{ kind: 'truncate' }, 'truncated'],
  [{ kind: 'malformed-json' }, 'malformed 200'],
  [{ kind: 'html' }, 'html 502'],
  [{ kind: 'html', status: 504 }, 'html 504'],
];

const SCHEDULES: ReadonlyArray<[FaultSchedule, number[]]> = [
  [{ every: 3 }, [3, 6, 9]],
  [{ once: true }, [1]],
  [{ once: true, after: 4 }, [5]],
  [{ once: true, after: 0 }, [1]],
];

async function run(emulator: ReturnType<typeof createGenericEmulator>, count: number): Promise<string[]> {
  const outcomes: string[] = [];
  for (let i = 0; i < count; i++) outcomes.push(await observe(() => emulator.fetch(URL_OK)));
  return outcomes;
}

describe('fault kinds on each schedule', () => {
  for (const [fault, seen] of KINDS) {
    for (const [schedule, hits] of SCHEDULES) {
      it(`${fault.kind} ${JSON.stringify(fault)} on ${JSON.stringify(schedule)}`, async () => {
        const emulator = createGenericEmulator({ events: 8 });
        const active = emulator.faults.add({ ...fault, schedule });
        const outcomes = await run(emulator, 10);
        const expected = outcomes.map((_, i) => (hits.includes(i + 1) ? seen : '200'));
        expect(outcomes).toEqual(expected);
        expect(active.fired).toBe(hits.length);
        expect(active.seen).toBe(10);
      });
    }

    it(`${fault.kind} on a seeded probability is reproducible`, async () => {
      const pattern = async (seed: number) => {
        const emulator = createGenericEmulator({ events: 8 });
        emulator.faults.add({ ...fault, schedule: { probability: 0.4, seed } });
        return (await run(emulator, 30)).map((outcome) => (outcome === '200' ? '.' : 'x')).join('');
      };
      const first = await pattern(17);
      expect(await pattern(17)).toBe(first);
      expect(await pattern(18)).not.toBe(first);
      // With p = 0.4 over 30 requests, both outcomes occur.
      expect(first).toMatch(/x/);
      expect(first).toMatch(/\./);
    });
  }

  it('a probability schedule without a seed uses the emulator seed', async () => {
    const pattern = async (seed: number) => {
      const emulator = createGenericEmulator({ seed, events: 3 });
      emulator.faults.add({ kind: 'status', schedule: { probability: 0.5 } });
      return (await run(emulator, 24)).join();
    };
    expect(await pattern(3)).toBe(await pattern(3));
    expect(await pattern(3)).not.toBe(await pattern(4));
  });

  it('probability faults without a seed of their own fire on different requests, reproducibly', async () => {
    const pattern = async () => {
      const emulator = createGenericEmulator({ seed: 5, events: 3 });
      const faults = [1, 2, 3].map(() => emulator.faults.add({ kind: 'latency', ms: 0, schedule: { probability: 0.5 } }));
      const fired = faults.map(() => '');
      for (let i = 0; i < 40; i++) {
        const before = faults.map((fault) => fault.fired);
        await (await emulator.fetch(URL_OK)).arrayBuffer();
        faults.forEach((fault, index) => (fired[index] += fault.fired > (before[index] as number) ? 'x' : '.'));
      }
      return fired;
    };
    const [first, second, third] = await pattern();
    expect(new Set([first, second, third]).size).toBe(3);
    expect(await pattern()).toEqual([first, second, third]);
  });

  it('unseeded probability faults added after reset() or clear() fire as on a fresh emulator of the same seed', async () => {
    const pattern = async (emulator: ReturnType<typeof createGenericEmulator>) => {
      const fault = emulator.faults.add({ kind: 'latency', ms: 0, schedule: { probability: 0.5 } });
      let fired = '';
      for (let i = 0; i < 40; i++) {
        const before = fault.fired;
        await (await emulator.fetch(URL_OK)).arrayBuffer();
        fired += fault.fired > before ? 'x' : '.';
      }
      return fired;
    };
    const fresh = await pattern(createGenericEmulator({ seed: 5, events: 3 }));
    const reused = createGenericEmulator({ seed: 5, events: 3 });
    await pattern(reused);
    reused.reset();
    expect(await pattern(reused)).toBe(fresh);
    reused.faults.add({ kind: 'latency', ms: 0, schedule: { probability: 0.5 } });
    reused.faults.clear();
    expect(await pattern(reused)).toBe(fresh);
  });

  it('latency waits through the emulator clock on its schedule', async () => {
    const { clock, sleeps } = manualClock();
    const emulator = createGenericEmulator({ events: 3, clock });
    emulator.faults.add({ kind: 'latency', ms: 5_000, schedule: { every: 2 } });
    emulator.faults.add({ kind: 'latency', ms: 250, schedule: { once: true } });
    emulator.faults.add({ kind: 'latency', ms: 30, schedule: { once: true, after: 3 } });
    expect(await run(emulator, 4)).toEqual(['200', '200', '200', '200']);
    // Latencies that fire on one request add up.
    expect(sleeps).toEqual([250, 5_000, 5_030]);
  });

  it('latency on a scaled real clock is honoured and can be aborted', async () => {
    const { scaledClock } = await import('../../src/core/clock.js');
    const emulator = createGenericEmulator({ events: 3, clock: scaledClock(0.001) });
    emulator.faults.add({ kind: 'latency', ms: 20 });
    expect(await observe(() => emulator.fetch(URL_OK))).toBe('200');
    emulator.faults.clear();
    emulator.faults.add({ kind: 'latency', ms: 600_000 });
    const reason = new Error('gave up');
    const controller = new AbortController();
    const pending = emulator.fetch(URL_OK, { signal: controller.signal });
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });
});

describe('fault details', () => {
  it('writes Retry-After as an HTTP date from the emulator clock, rounded up', async () => {
    const { clock } = manualClock(Date.parse('2026-11-23T10:00:00.400Z'));
    const emulator = createGenericEmulator({ clock });
    emulator.faults.add({ kind: 'rate-limit', retryAfter: 2, retryAfterFormat: 'http-date' });
    const response = await emulator.fetch(URL_OK);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('Mon, 23 Nov 2026 10:00:03 GMT');
    // The date is on the emulator's clock: the answer says what that clock read (retry-after-skew.test.ts).
    expect(response.headers.get('date')).toBe('Mon, 23 Nov 2026 10:00:00 GMT');
    expect(await response.json()).toEqual({ error: { status: 429, message: 'Too Many Requests' } });
  });

  it('answers status faults with the emulator error body and extra headers', async () => {
    const emulator = createGenericEmulator();
    emulator.faults.add({ kind: 'status', status: 503, headers: { 'Retry-After': '30' } });
    const response = await emulator.fetch(URL_OK);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('30');
    expect(await response.json()).toEqual({ error: { status: 503, message: 'Service Unavailable' } });
  });

  it('truncates after the given fraction of a body whose full length is announced', async () => {
    const emulator = createGenericEmulator({ events: 20 });
    const full = await (await emulator.fetch(URL_OK)).arrayBuffer();
    emulator.faults.add({ kind: 'truncate', fraction: 0.25 });
    const response = await emulator.fetch(URL_OK);
    expect(response.headers.get('content-length')).toBe(String(full.byteLength));
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(first.value?.byteLength).toBe(Math.floor(full.byteLength * 0.25));
    await expect(reader.read()).rejects.toMatchObject({ name: 'TypeError', message: 'terminated' });
  });

  it('answers with the documented defaults: 503, half the body, and whole seconds of Retry-After rounded up', async () => {
    const emulator = createGenericEmulator({ events: 20 });
    const full = await (await emulator.fetch(URL_OK)).arrayBuffer();
    const answer = async (fault: FaultKind) => {
      emulator.faults.clear();
      emulator.faults.add(fault);
      return emulator.fetch(URL_OK);
    };
    expect((await answer({ kind: 'status' })).status).toBe(503);
    expect((await answer({ kind: 'rate-limit', retryAfter: 1.2 })).headers.get('retry-after')).toBe('2');
    const truncated = (await answer({ kind: 'truncate' })).body as ReadableStream<Uint8Array>;
    expect((await truncated.getReader().read()).value?.byteLength).toBe(Math.floor(full.byteLength / 2));
    // A body cut at 0 bytes fails its first read, as a socket closed after the headers does.
    const cutAtOnce = (await answer({ kind: 'truncate', fraction: 0 })).body as ReadableStream<Uint8Array>;
    await expect(cutAtOnce.getReader().read()).rejects.toMatchObject({ name: 'TypeError', message: 'terminated' });
  });

  it('answers malformed JSON with the status asked for and the whole length of its broken body declared', async () => {
    const emulator = createGenericEmulator();
    emulator.faults.add({ kind: 'malformed-json', status: 500 });
    const response = await emulator.fetch(URL_OK);
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(() => JSON.parse(body)).toThrow(SyntaxError);
    expect(response.headers.get('content-length')).toBe(String(new TextEncoder().encode(body).byteLength));
  });

  it('applies a fault only to matching requests', async () => {
    const emulator = createGenericEmulator({ events: 3 });
    emulator.faults.add({ kind: 'status', status: 500, match: { method: 'get', path: '/offset' } });
    emulator.faults.add({ kind: 'html', match: { path: /^\/win/ } });
    emulator.faults.add({ kind: 'reset', match: { path: '/events/*' } });
    emulator.faults.add({ kind: 'malformed-json', match: { test: (request) => request.headers.has('x-break') } });
    const at = (path: string, init?: RequestInit) => observe(() => emulator.fetch(`https://api.test.example${path}`, init));
    expect(await at('/offset')).toBe('500');
    expect(await at('/offset', { method: 'POST' })).toBe('405');
    expect(await at('/window')).toBe('html 502');
    expect(await at('/events/1000001')).toBe('reset');
    expect(await at('/events')).toBe('404');
    expect(await at('/token', { headers: { 'x-break': '1' } })).toBe('malformed 200');
    expect(await at('/token')).toBe('200');
  });

  it('counts its schedule over the matching requests only', async () => {
    const emulator = createGenericEmulator({ events: 3 });
    const active = emulator.faults.add({ kind: 'status', status: 500, match: { path: '/offset' }, schedule: { every: 2 } });
    const at = (path: string) => observe(() => emulator.fetch(`https://api.test.example${path}`));
    const outcomes = [];
    for (const path of ['/window', '/offset', '/window', '/offset']) outcomes.push(await at(path));
    expect(outcomes).toEqual(['200', '200', '200', '500']);
    expect([active.seen, active.fired]).toEqual([2, 1]);
  });

  it('counts every matching fault, answers with the first, adds latency, and removes or clears', async () => {
    const { clock, sleeps } = manualClock();
    const emulator = createGenericEmulator({ clock });
    const first = emulator.faults.add({ kind: 'status', status: 502, schedule: { every: 2 } });
    const second = emulator.faults.add({ kind: 'html', status: 504, schedule: { every: 1 } });
    emulator.faults.add({ kind: 'latency', ms: 100 });
    expect(await run(emulator, 4)).toEqual(['html 504', '502', 'html 504', '502']);
    expect([first.fired, second.fired, sleeps.length]).toEqual([2, 2, 4]);
    second.remove();
    expect(emulator.faults.list()).toHaveLength(2);
    expect(await run(emulator, 2)).toEqual(['200', '502']);
    emulator.faults.clear();
    expect(await run(emulator, 2)).toEqual(['200', '200']);
  });

  it.each([
    [{ kind: 'status', schedule: { every: 0 } }, 'schedule.every'],
    // Past 2^53 the count of matching requests cannot reach it one by one.
    [{ kind: 'status', schedule: { every: 2 ** 53 } }, 'schedule.every'],
    [{ kind: 'status', schedule: { every: Infinity } }, 'schedule.every'],
    [{ kind: 'status', schedule: { once: true, after: 2 ** 53 } }, 'schedule.after'],
    [{ kind: 'status', schedule: { probability: 1.5 } }, 'schedule.probability'],
    [{ kind: 'status', schedule: { once: true, after: -1 } }, 'schedule.after'],
    [{ kind: 'status', status: 99 }, 'status'],
    // A 1xx is no final answer: no Response carries one.
    [{ kind: 'status', status: 103 }, 'status'],
    [{ kind: 'html', status: 199 }, 'status'],
    [{ kind: 'latency', ms: -1 }, 'ms'],
    [{ kind: 'truncate', fraction: 1 }, 'fraction'],
    [{ kind: 'rate-limit', retryAfter: Number.NaN }, 'retryAfter'],
  ] as const)('rejects a bad fault %j naming %s', (spec, option) => {
    const emulator = createGenericEmulator();
    let thrown: unknown;
    try {
      emulator.faults.add(spec);
    } catch (error) {
      thrown = error;
    }
    expect(isConfigurationError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ option });
  });
});

describe('fault specs that would fail every request', () => {
  it('takes a member given as undefined as left out', async () => {
    const emulator = createGenericEmulator({ events: 3 });
    const fault = emulator.faults.add({ kind: 'status', status: 502, schedule: { every: 1, after: undefined }, match: { path: '/offset', paht: undefined } } as never);
    expect(await observe(() => emulator.fetch(URL_OK))).toBe('502');
    expect(fault.fired).toBe(1);
  });

  it.each([
    [null, 'spec'],
    ['status', 'spec'],
    [{ kind: 'reset', schedule: null }, 'schedule'],
    [{ kind: 'reset', schedule: { probability: 0.5, seed: 'x' } }, 'schedule.seed'],
    [{ kind: 'reset', match: '/offset' }, 'match'],
    [{ kind: 'reset', match: { method: 5 } }, 'match.method'],
    [{ kind: 'reset', match: { path: 5 } }, 'match.path'],
    [{ kind: 'reset', match: { test: true } }, 'match.test'],
    [{ kind: 'status', headers: 'Retry-After: 5' }, 'headers'],
    [{ kind: 'status', headers: { 'Retry After': '5' } }, 'headers'],
    [{ kind: 'status', headers: { 'Retry-After': 'line\nbreak' } }, 'headers'],
    [{ kind: 'status', headers: new Map([['Retry-After', '5']]) }, 'headers'],
    [{ kind: 'rate-limit', retryAfterFormat: 'date' }, 'retryAfterFormat'],
    // Misspelt or of another kind: each would leave its default in place, the fault firing otherwise than meant.
    [{ kind: 'status', staus: 502 }, 'staus'],
    [{ kind: 'status', retryAfter: 5 }, 'retryAfter'],
    [{ kind: 'reset', schedule: { every: 2, afer: 1 } }, 'schedule.afer'],
    [{ kind: 'reset', schedule: { once: true, seed: 3 } }, 'schedule.seed'],
    [{ kind: 'reset', match: { paht: '/offset' } }, 'match.paht'],
  ])('refuses %j with a ConfigurationError naming %s, and requests still succeed', async (spec, option) => {
    const emulator = createGenericEmulator({ events: 3 });
    let thrown: unknown;
    try {
      emulator.faults.add(spec as FaultSpec);
    } catch (error) {
      thrown = error;
    }
    expect(isConfigurationError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ option });
    expect(await observe(() => emulator.fetch(URL_OK))).toBe('200');
  });
});

describe('network faults through every adapter', () => {
  let open: Transport | undefined;
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });

  it.each(TRANSPORTS)('%s: reset, truncation, HTML and malformed JSON reach a plain fetch client as such', async (kind) => {
    const emulator = createGenericEmulator({ events: 30 });
    open = await openTransport(kind, emulator);
    const transport = open;
    const at = () => observe(() => transport.fetch('/offset?count=30'));
    emulator.faults.add({ kind: 'reset', schedule: { once: true } });
    expect(await at()).toBe('reset');
    expect(await at()).toBe('200');
    emulator.faults.clear();
    emulator.faults.add({ kind: 'truncate', schedule: { once: true } });
    expect(await at()).toBe('truncated');
    expect(await at()).toBe('200');
    emulator.faults.clear();
    emulator.faults.add({ kind: 'html', status: 503, schedule: { once: true } });
    emulator.faults.add({ kind: 'malformed-json', schedule: { once: true, after: 1 } });
    emulator.faults.add({ kind: 'rate-limit', retryAfter: 3, schedule: { once: true, after: 2 } });
    expect([await at(), await at(), await at(), await at()]).toEqual(['html 503', 'malformed 200', '429 3', '200']);
    expect(emulator.requests).toHaveLength(8);
  });

  it('the real server resets the TCP connection, and truncation ends it mid-body', async () => {
    const emulator = createGenericEmulator({ events: 30 });
    const server = await emulator.listen();
    try {
      emulator.faults.add({ kind: 'reset', schedule: { once: true } });
      const reset = await fetch(`${server.url}/offset`).catch((error: unknown) => error);
      expect(reset).toBeInstanceOf(TypeError);
      expect((reset as TypeError).cause).toMatchObject({ code: 'ECONNRESET' });
      emulator.faults.add({ kind: 'truncate', fraction: 0.5, schedule: { once: true } });
      const response = await fetch(`${server.url}/offset?count=30`);
      expect(response.status).toBe(200);
      const failed = await response.text().catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(TypeError);
      expect((failed as TypeError).cause).toMatchObject({ code: 'UND_ERR_SOCKET' });
    } finally {
      await server.close();
    }
  });

  it('the in-process fetch fails a reset and a truncated body with the socket errors undici gives over the real server', async () => {
    const causes = async (fetcher: (path: string) => Promise<Response>, emulator: ReturnType<typeof createGenericEmulator>) => {
      emulator.faults.add({ kind: 'reset', schedule: { once: true } });
      const reset = (await fetcher('/offset').catch((error: unknown) => error)) as TypeError;
      emulator.faults.clear();
      emulator.faults.add({ kind: 'truncate', fraction: 0.5, schedule: { once: true } });
      const cut = (await (await fetcher('/offset?count=30')).text().catch((error: unknown) => error)) as TypeError;
      const { code, syscall } = reset.cause as { code: unknown; syscall: unknown };
      return [reset.message, code, syscall, cut.message, (cut.cause as { code: unknown }).code];
    };
    const inProcess = createGenericEmulator({ events: 30 });
    const overSocket = createGenericEmulator({ events: 30 });
    const server = await overSocket.listen();
    try {
      const expected = await causes((path) => fetch(`${server.url}${path}`), overSocket);
      expect(expected).toEqual(['fetch failed', 'ECONNRESET', 'read', 'terminated', 'UND_ERR_SOCKET']);
      expect(await causes((path) => inProcess.fetch(`https://api.test.example${path}`), inProcess)).toEqual(expected);
    } finally {
      await server.close();
    }
  });

  it('the real server ends the connection of a truncated body, answering nothing pipelined behind it there', async () => {
    const emulator = createGenericEmulator({ events: 30 });
    const server = await emulator.listen();
    const wire = await openWire(server.port);
    try {
      emulator.faults.add({ kind: 'truncate', fraction: 0.5, schedule: { once: true } });
      const get = requestBytes('GET', '/offset?count=30', [['Host', 'api.test.example']]);
      await wire.write(Buffer.concat([get, get]));
      // Left open, the connection would carry the next answer, which the client would read as the rest of the first body.
      await expect(wire.answer()).rejects.toThrow(/^closed after \d+ of \d+ bytes$/);
      expect((await wire.closed()).toString('latin1')).not.toContain('HTTP/1.1');
    } finally {
      await wire.destroy();
      await server.close();
    }
  });
});
