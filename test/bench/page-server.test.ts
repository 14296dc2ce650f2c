import { afterEach, describe, expect, it } from 'vitest';
import { scaledClock } from '../../src/core/clock.js';
import { startPageServer, type PageServer } from '../../bench/server/page-server.js';

let server: PageServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** An emulator stand-in that answers with a new body every time it is asked, and counts the asks. */
function countingHandler() {
  const calls: string[] = [];
  const handle = async (request: Request): Promise<Response> => {
    const body = request.method === 'POST' ? await request.text() : '';
    calls.push(`${request.method} ${new URL(request.url).pathname}${new URL(request.url).search} ${body}`);
    const status = new URL(request.url).pathname === '/missing' ? 404 : 200;
    return new Response(JSON.stringify({ answer: calls.length, body }), {
      status,
      headers: { 'content-type': 'application/json', 'x-total-count': '42' },
    });
  };
  return { calls, handle };
}

describe('the benchmark page server', () => {
  it('computes an answer once and serves the kept bytes, headers included, afterwards', async () => {
    const emulator = countingHandler();
    server = await startPageServer(emulator.handle, scaledClock(1), true);
    const first = await fetch(`${server.url}/events?page=1`);
    const second = await fetch(`${server.url}/events?page=1`);
    expect(await first.json()).toEqual({ answer: 1, body: '' });
    expect(await second.json()).toEqual({ answer: 1, body: '' });
    expect(second.headers.get('x-total-count')).toBe('42');
    expect(emulator.calls).toHaveLength(1);
    expect(server.stats(false)).toMatchObject({ requests: 2, computed: 1, rateLimited: 0 });
  });

  it('keys answers by method, URL and body, so different searches are different pages', async () => {
    const emulator = countingHandler();
    server = await startPageServer(emulator.handle, scaledClock(1), true);
    const post = (body: string) => fetch(`${server?.url}/search`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(await (await post('{"firstResult":0}')).json()).toEqual({ answer: 1, body: '{"firstResult":0}' });
    expect(await (await post('{"firstResult":100}')).json()).toEqual({ answer: 2, body: '{"firstResult":100}' });
    expect(await (await post('{"firstResult":0}')).json()).toEqual({ answer: 1, body: '{"firstResult":0}' });
    expect(await (await fetch(`${server.url}/events?page=2`)).json()).toEqual({ answer: 3, body: '' });
  });

  it('does not keep error answers, and computes every answer without the cache', async () => {
    const emulator = countingHandler();
    server = await startPageServer(emulator.handle, scaledClock(1), true);
    expect((await fetch(`${server.url}/missing`)).status).toBe(404);
    expect((await fetch(`${server.url}/missing`)).status).toBe(404);
    expect(emulator.calls).toHaveLength(2);
    await server.close();
    const uncached = countingHandler();
    server = await startPageServer(uncached.handle, scaledClock(1), false);
    await (await fetch(`${server.url}/events`)).text();
    await (await fetch(`${server.url}/events`)).text();
    expect(uncached.calls).toHaveLength(2);
  });

  it('answers 429 with Retry-After beyond its rate limit, cached pages included, and counts them', async () => {
    const emulator = countingHandler();
    server = await startPageServer(emulator.handle, scaledClock(1), true);
    server.configure(0, { requests: 2, interval: 60_000 });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${server.url}/events`);
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
      await response.arrayBuffer();
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(server.stats(true)).toMatchObject({ requests: 4, rateLimited: 2 });
    expect(server.stats(false)).toMatchObject({ requests: 0, rateLimited: 0 });
  });
});
