/**
 * Run as a child process by redis-rate-limit.test.ts: a request whose Redis-shared limiter cannot reach
 * its server fails, `closeRateLimiters()` is awaited, and the process says what still keeps it alive
 * (helpers/exit-holds.ts), as a line `holds <JSON>`, and as it exits, the timers set meanwhile
 * (`later <JSON>`).
 */
import { closeRateLimiters } from '../../../src/core/rate-limit.js';
import { redisRateLimit } from '../../../src/redis/index.js';
import { followTimers, holds, timersSetFromNow } from './exit-holds.js';
import { client } from './server.js';

followTimers();
// Nothing listens on port 1: the connection is refused, and the client keeps retrying until closed.
const shared = redisRateLimit({ clientOptions: { host: '127.0.0.1', port: 1 }, connectTimeout: 100 });
await client('http://127.0.0.1:9', { rateLimit: { shared } })
  .http.request({ operation: 'op', method: 'GET', path: '/x' })
  .catch(() => undefined);
await closeRateLimiters();
process.stdout.write(`holds ${JSON.stringify(holds())}\n`);
const later = timersSetFromNow();
process.on('exit', () => process.stdout.write(`later ${JSON.stringify(later())}\n`));
