import { describe, expect, it } from 'vitest';
import { isConfigurationError } from '../../src/core/errors.js';
import { createWindowLimiter } from '../../src/testing/index.js';
import { steppedClock } from '../support/stepped-clock.js';
import { manualClock } from './support.js';

describe('createWindowLimiter', () => {
  it('sliding: allows `requests` in any interval, answers Retry-After in vendor seconds', () => {
    // scale 0.001: the 60 s window lasts 60 real ms.
    const { clock, advance } = manualClock(0, 0.001);
    const limiter = createWindowLimiter({ requests: 3, interval: 60_000, clock });
    expect(limiter.check('k')).toEqual({ ok: true, remaining: 2 });
    advance(20);
    expect(limiter.check('k')).toEqual({ ok: true, remaining: 1 });
    expect(limiter.check('k')).toEqual({ ok: true, remaining: 0 });
    expect(limiter.check('k')).toEqual({ ok: false, retryAfterSeconds: 40 });
    advance(40); // the first request leaves the window
    expect(limiter.check('k')).toEqual({ ok: true, remaining: 0 });
    expect(limiter.check('k')).toEqual({ ok: false, retryAfterSeconds: 20 });
    advance(20);
    expect(limiter.check('k').ok).toBe(true);
  });

  it('fixed: the window starts at the first request and resets whole', () => {
    const { clock, advance } = manualClock(0, 0.001);
    const limiter = createWindowLimiter({ requests: 2, interval: 60_000, clock, window: 'fixed' });
    expect(limiter.check('k').ok).toBe(true);
    advance(59);
    expect(limiter.check('k').ok).toBe(true);
    expect(limiter.check('k')).toEqual({ ok: false, retryAfterSeconds: 1 });
    advance(1);
    expect(limiter.check('k')).toEqual({ ok: true, remaining: 1 });
  });

  it('keeps keys apart and forgets them on reset', () => {
    const { clock } = manualClock(0, 1);
    const limiter = createWindowLimiter({ requests: 1, interval: 1_000, clock });
    expect(limiter.check('alice').ok).toBe(true);
    expect(limiter.check('bob').ok).toBe(true);
    expect(limiter.check('alice')).toEqual({ ok: false, retryAfterSeconds: 1 });
    limiter.reset();
    expect(limiter.check('alice').ok).toBe(true);
  });

  it('rounds Retry-After up to whole seconds, so a client that waits it out on a window of 1.5 s is let through', () => {
    const { clock, advance } = manualClock(0, 1);
    const limiter = createWindowLimiter({ requests: 1, interval: 1_500, clock });
    expect(limiter.check('k').ok).toBe(true);
    const refused = limiter.check('k');
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 2 });
    if (refused.ok) return;
    advance(refused.retryAfterSeconds * 1000);
    expect(limiter.check('k').ok).toBe(true);
  });

  it('fixed: forgets the keys and their counts on reset', () => {
    const { clock } = manualClock(0, 1);
    const limiter = createWindowLimiter({ requests: 1, interval: 60_000, clock, window: 'fixed' });
    expect(limiter.check('alice').ok).toBe(true);
    expect(limiter.check('alice').ok).toBe(false);
    limiter.reset();
    expect(limiter.check('alice')).toEqual({ ok: true, remaining: 0 });
  });

  it('with a scaled clock, a client that waits Retry-After gets through', async () => {
    // Moved only by its sleeps, each as long on the wall: the six checks are in one 60 ms window however
    // long a loaded machine takes between them.
    const clock = steppedClock(0.001);
    const limiter = createWindowLimiter({ requests: 5, interval: 60_000, clock });
    for (let i = 0; i < 5; i++) expect(limiter.check('key').ok).toBe(true);
    const refused = limiter.check('key');
    if (refused.ok) throw new Error('expected a refusal');
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    await clock.sleep(refused.retryAfterSeconds * 1000);
    expect(limiter.check('key').ok).toBe(true);
  });

  it.each([
    [{ requests: 0, interval: 1000 }, 'requests'],
    [{ requests: 2.5, interval: 1000 }, 'requests'],
    [{ requests: 1, interval: 0 }, 'interval'],
  ])('rejects %j naming %s', (options, option) => {
    let thrown: unknown;
    try {
      createWindowLimiter(options);
    } catch (error) {
      thrown = error;
    }
    expect(isConfigurationError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ option });
  });
});
