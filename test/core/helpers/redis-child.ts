/**
 * Run as a child process by redis.test.ts: one of several processes sharing one rate limit through
 * Redis. argv: <baseUrl> <redisPort> <requests> <clock scale>. Writes a line of JSON, the `Date.now()`
 * each request was handed to fetch and its answer came back, then `done`.
 */
import { scaledClock } from '../../../src/core/clock.js';
import { createClientContext } from '../../../src/core/client.js';
import { closeRateLimiters } from '../../../src/core/rate-limit.js';
import { redisRateLimit } from '../../../src/redis/index.js';

const [, , baseUrl = '', port = '6379', count = '5', scale = '0.005'] = process.argv;
const sends: { sent: number; answered: number }[] = [];
const ctx = createClientContext(
  'informatica',
  {
    baseUrl,
    // After the limiter let the request go, before it counts the answer: however late a loaded machine
    // runs either, the place a send took frees no sooner than an interval after `answered`.
    fetch: async (input, init) => {
      const sent = Date.now();
      const response = await fetch(input, init);
      sends.push({ sent, answered: Date.now() });
      return response;
    },
    clock: scaledClock(Number(scale)),
    rateLimit: { shared: redisRateLimit({ clientOptions: { host: '127.0.0.1', port: Number(port) } }) },
  },
  { key: 'shared-credential', headers: () => ({}) },
  { rateLimit: { requests: 5, interval: 60_000 } },
);
await Promise.all(Array.from({ length: Number(count) }, () => ctx.http.request({ operation: 'op', method: 'GET', path: '/x' })));
process.stdout.write(`${JSON.stringify(sends)}\ndone\n`);
// The Redis connection is the one thing that would keep this process alive: closing it must be enough
// for the process to exit by itself (the test fails on a child that does not).
await closeRateLimiters();
