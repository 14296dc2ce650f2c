/**
 * Run as a child process by lifecycle.test.ts: does some work with a client, prints "done", and must then
 * exit by itself (nothing may keep the event loop alive).
 *   argv: <baseUrl> <mode>
 *   mode "one": one request through a limiter with a reservoir, a timeout and retries.
 *   mode "abort-queued": fills a 1-per-minute reservoir, queues a second request, aborts it.
 *   mode "retry": a request that is retried once after a 503.
 */
import { createClientContext } from '../../../src/core/client.js';

const [, , baseUrl = '', mode = 'one'] = process.argv;
const ctx = createClientContext(
  'informatica',
  { baseUrl, timeout: 10_000, retry: { minDelay: 10 } },
  { key: `child-${process.pid}`, headers: () => ({ authorization: 'Basic dXNlcjpwYXNzd29yZA==' }) },
  { rateLimit: mode === 'abort-queued' ? { requests: 1, interval: 60_000 } : { requests: 5, interval: 60_000 } },
);

if (mode === 'abort-queued') {
  await ctx.http.request({ operation: 'first', method: 'GET', path: '/ok' });
  const controller = new AbortController();
  const queued = ctx.http.request({ operation: 'second', method: 'GET', path: '/ok', signal: controller.signal });
  setTimeout(() => controller.abort(new Error('cancelled')), 20);
  const outcome = await queued.then(
    () => 'sent',
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  process.stdout.write(`${outcome}\n`);
} else {
  const response = await ctx.http.request({ operation: 'one', method: 'GET', path: mode === 'retry' ? '/flaky' : '/ok' });
  process.stdout.write(`${response.status}\n`);
}
process.stdout.write('done\n');
