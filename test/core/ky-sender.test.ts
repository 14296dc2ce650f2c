/**
 * ky is imported by the first request (`ky-sender.ts`). A request aborted while it loads must not reach
 * the `fetch` it was given: a custom one (a proxy, instrumentation) saw the call after the abort.
 */
import { describe, expect, it, vi } from 'vitest';

describe('the first request, while ky loads', () => {
  it('aborted meanwhile, does not call fetch', async () => {
    vi.resetModules();
    const { kySender } = await import('../../src/core/ky-sender.js');
    const fetch = vi.fn(() => Promise.resolve(new Response('{}')));
    const controller = new AbortController();
    const sent = kySender(fetch)('https://example.com/x', { method: 'GET', headers: {}, signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(sent).rejects.toThrow('stop');
    expect(fetch).not.toHaveBeenCalled();
    // Not aborted, the next one is sent.
    const response = await kySender(fetch)('https://example.com/x', { method: 'GET', headers: {} });
    expect(response.status).toBe(200);
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
