/**
 * Run as a child process by redis-rate-limit.test.ts: a request whose Redis-shared limiter has not
 * reached its server yet, then `closeRateLimiters()` is awaited, and the process says what still keeps
 * it alive (helpers/exit-holds.ts), as a line `holds <JSON>`, and as it exits, the timers set
 * meanwhile (`later <JSON>`). The server (argv[2]):
 * - `unreachable`: nothing listens; the connection is refused, and the client keeps retrying until closed;
 * - `silent <port>`: the parent's server that answers the client's handshake but not its ready check
 *   (`INFO`), as one still loading its data may not; the parent writes a line once both of
 *   bottleneck's clients have asked, and the close then cuts their handshake short.
 */
import { closeRateLimiters } from '../../../src/core/rate-limit.js';
import { redisRateLimit } from '../../../src/redis/index.js';
import { followTimers, holds, timersSetFromNow } from './exit-holds.js';
import { client } from './server.js';

followTimers();
const mode = process.argv[2] ?? 'unreachable';

if (mode === 'silent') {
  const shared = redisRateLimit({ clientOptions: { host: '127.0.0.1', port: Number(process.argv[3]) }, connectTimeout: 10_000 });
  const request = client('http://127.0.0.1:9', { rateLimit: { shared } })
    .http.request({ operation: 'op', method: 'GET', path: '/x' })
    .catch(() => undefined);
  await new Promise((resolve) => process.stdin.once('data', resolve));
  process.stdin.destroy();
  await closeRateLimiters();
  await request;
} else {
  const shared = redisRateLimit({ clientOptions: { host: '127.0.0.1', port: 1 }, connectTimeout: 100 });
  await client('http://127.0.0.1:9', { rateLimit: { shared } })
    .http.request({ operation: 'op', method: 'GET', path: '/x' })
    .catch(() => undefined);
  await closeRateLimiters();
}
process.stdout.write(`holds ${JSON.stringify(holds())}\n`);
const later = timersSetFromNow();
process.on('exit', () => process.stdout.write(`later ${JSON.stringify(later())}\n`));
