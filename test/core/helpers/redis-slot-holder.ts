/**
 * Run as a child process by redis-recovery.test.ts: takes the only concurrency slot of a Redis-shared
 * limiter, says so, and holds it until it is killed. argv: <redisPort> <key> <slotLease>
 */
import { systemClock } from '../../../src/core/clock.js';
import { limiterSettings } from '../../../src/core/rate-limit.js';
import { buildRedisLimiter } from '../../../src/core/rate-limit/redis.js';

const [, , port = '6379', key = 'slot-holder', lease = '1000'] = process.argv;
const limiter = await buildRedisLimiter(key, limiterSettings({ maxConcurrent: 1 }, undefined), { clientOptions: { host: '127.0.0.1', port: Number(port) }, slotLease: Number(lease) }, systemClock);
void limiter.schedule(async () => {
  process.stdout.write('holding\n');
  await new Promise(() => {});
});
