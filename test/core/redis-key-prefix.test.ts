/**
 * Two deployments sharing one Redis under different `keyPrefix`es are apart: ioredis prefixes keys, but
 * not the pub/sub channels on which bottleneck tells a key's processes that capacity came back, so each
 * limiter heard the other's messages (drained its queue on them, and took the other's "priority client"
 * messages for its own).
 */
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { limiterSettings } from '../../src/core/rate-limit.js';
import { buildRedisLimiter } from '../../src/core/rate-limit/redis.js';
import { hasRedisServer, perTestCleanups } from './helpers/redis-server.js';

const { cleanups, redisServer } = perTestCleanups();
const KEY = 'illumio https://pce.example.com illumio:0123456789abcdef';

describe.runIf(hasRedisServer())('a shared limiter under a keyPrefix', () => {
  it('listens on channels of its own, which the same key under another prefix does not hear', async () => {
    const redis = await redisServer();
    const settings = limiterSettings({ maxConcurrent: 1 }, undefined);
    const build = (keyPrefix: string) => buildRedisLimiter(KEY, settings, { clientOptions: { host: '127.0.0.1', port: redis.port, keyPrefix } }, systemClock);
    const [a, b] = await Promise.all([build('deploy-a:'), build('deploy-b:')]);
    cleanups.push(() => Promise.all([a.close(), b.close()]));
    const admin = redis.connect();
    cleanups.push(() => admin.disconnect());

    expect(await Promise.all([a.schedule(async () => 'a'), b.schedule(async () => 'b')])).toEqual(['a', 'b']);
    const channels = (await admin.pubsub('CHANNELS', '*')) as string[];
    // bottleneck's channel of the key and one of each process, per limiter.
    expect(channels).toHaveLength(4);
    const subscribers = (await admin.pubsub('NUMSUB', ...channels)) as Array<string | number>;
    expect(subscribers.filter((_, i) => i % 2 === 1)).toEqual([1, 1, 1, 1]);
    const keys = (await admin.keys('*')) as string[];
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((key) => key.startsWith('deploy-a:') || key.startsWith('deploy-b:'))).toBe(true);
  }, 30_000);
});
