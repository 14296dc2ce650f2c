/**
 * Run as a child process by redis-rate-limit.test.ts: a request whose Redis-shared limiter cannot reach
 * its server fails, `closeRateLimiters()` is awaited, and the process says how long it then took to exit.
 */
import { closeRateLimiters } from '../../../src/core/rate-limit.js';
import { redisRateLimit } from '../../../src/redis/index.js';
import { client } from './server.js';

// Nothing listens on port 1: the connection is refused, and the client keeps retrying until closed.
const shared = redisRateLimit({ clientOptions: { host: '127.0.0.1', port: 1 }, connectTimeout: 100 });
await client('http://127.0.0.1:9', { rateLimit: { shared } })
  .http.request({ operation: 'op', method: 'GET', path: '/x' })
  .catch(() => undefined);
await closeRateLimiters();
const closed = performance.now();
process.on('exit', () => process.stdout.write(`exited ${Math.round(performance.now() - closed)} ms after closeRateLimiters\n`));
