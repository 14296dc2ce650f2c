/**
 * Scenario 1d serves every answer from memory after recording it once: the replay must be the answer
 * the server gave (status, headers, body), once per distinct request, and readable again every time.
 */
import { describe, expect, it } from 'vitest';
import { replayingFetch } from '../../bench/scenarios/in-process.js';

function countingServer() {
  const seen: string[] = [];
  const original: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    seen.push(`${init?.method ?? 'GET'} ${url} ${String(init?.body ?? '')}`);
    return new Response(JSON.stringify({ n: seen.length, url }), {
      status: 207,
      statusText: 'Multi',
      headers: { 'content-type': 'application/json', 'x-request-id': `r${seen.length}` },
    });
  };
  return { seen, original };
}

describe('replayingFetch', () => {
  it('sends a request once and answers it again from memory with the same status, headers and body', async () => {
    const { seen, original } = countingServer();
    const replay = replayingFetch(original);
    const first = await replay('http://127.0.0.1:1/events?page=1');
    const again = await replay('http://127.0.0.1:1/events?page=1');
    expect(seen).toHaveLength(1);
    for (const response of [first, again]) {
      expect(response.status).toBe(207);
      expect(response.statusText).toBe('Multi');
      expect(response.headers.get('x-request-id')).toBe('r1');
      expect(await response.json()).toEqual({ n: 1, url: 'http://127.0.0.1:1/events?page=1' });
    }
  });

  it('tells requests apart by method, URL and body', async () => {
    const { seen, original } = countingServer();
    const replay = replayingFetch(original);
    await replay('http://127.0.0.1:1/search', { method: 'POST', body: '{"offset":0}' });
    await replay('http://127.0.0.1:1/search', { method: 'POST', body: '{"offset":100}' });
    await replay('http://127.0.0.1:1/search');
    await replay(new URL('http://127.0.0.1:1/search'), { method: 'POST', body: '{"offset":100}' });
    expect(seen).toEqual([
      'POST http://127.0.0.1:1/search {"offset":0}',
      'POST http://127.0.0.1:1/search {"offset":100}',
      'GET http://127.0.0.1:1/search ',
    ]);
  });
});
