import { describe, expect, it } from 'vitest';
import { getMaxListeners, setMaxListeners } from 'node:events';
import { Failure, allowManyListeners, linkSignals, requestSignal, untilAborted } from '../../src/core/signal.js';

describe('linkSignals', () => {
  it('aborts with the reason of the first source that aborts, and lets go of the sources when disposed', () => {
    const a = new AbortController();
    const b = new AbortController();
    const link = linkSignals([a.signal, undefined, b.signal]);
    b.abort(new Error('b'));
    expect(link.signal.aborted).toBe(true);
    expect((link.signal.reason as Error).message).toBe('b');
    const later = linkSignals([a.signal]);
    later.dispose();
    a.abort(new Error('a'));
    expect(later.signal.aborted).toBe(false);
  });

  it('starts aborted when a source already is', () => {
    const a = new AbortController();
    a.abort('gone');
    expect(linkSignals([a.signal]).signal.reason).toBe('gone');
  });
});

describe('requestSignal', () => {
  it('is the one source itself, with nothing to clean up', () => {
    const call = new AbortController();
    expect(requestSignal(undefined, call.signal).signal).toBe(call.signal);
    const client = new AbortController();
    expect(requestSignal(client.signal, undefined).signal).toBe(client.signal);
  });

  it('never aborts without a source, and is shared', () => {
    const first = requestSignal(undefined, undefined);
    expect(first.signal.aborted).toBe(false);
    expect(requestSignal(undefined, undefined).signal).toBe(first.signal);
  });

  it('links the client and the call when both are given', () => {
    const client = new AbortController();
    const call = new AbortController();
    const link = requestSignal(client.signal, call.signal);
    expect(link.signal).not.toBe(client.signal);
    client.abort(new Error('client closed'));
    expect((link.signal.reason as Error).message).toBe('client closed');
    link.dispose();
  });
});

/** No warning below 1000 listeners: a limit of 1000 or more, or none (`0`, an AbortSignal's own on Node 24). */
const allowsMany = (signal: AbortSignal): boolean => {
  const limit = getMaxListeners(signal);
  return limit === 0 || limit >= 1000;
};

describe('allowManyListeners', () => {
  it('raises Node\'s default limit of a shared signal (Node 20; Node 24 sets none), and leaves one the application set alone', () => {
    const fresh = new AbortController().signal;
    expect(allowManyListeners(fresh)).toBe(fresh);
    expect(allowsMany(fresh)).toBe(true);
    const chosen = new AbortController().signal;
    setMaxListeners(20, chosen);
    allowManyListeners(chosen);
    expect(getMaxListeners(chosen)).toBe(20);
  });

  it('accepts a signal that is not Node\'s own', () => {
    const polyfill = { aborted: false, reason: undefined, addEventListener() {}, removeEventListener() {} } as unknown as AbortSignal;
    expect(() => allowManyListeners(polyfill)).not.toThrow();
  });

  it('is applied to the shared signal of requests without one, not to a call\'s own signal', () => {
    expect(allowsMany(requestSignal(undefined, undefined).signal)).toBe(true);
    const call = new AbortController().signal;
    requestSignal(undefined, call);
    expect(getMaxListeners(call)).toBe(getMaxListeners(new AbortController().signal));
  });
});

/** The rejections nobody handled while `run` and a turn of the event loop after it ran. */
async function unhandledDuring(run: () => Promise<unknown>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown): void => void seen.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await run();
    await new Promise((resolve) => setTimeout(resolve, 10));
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
}

describe('settle on a link already aborted', () => {
  it('is the link\'s reason, and a later failure of the promise raced goes unhandled nowhere', async () => {
    const link = linkSignals([]);
    link.abort(new Error('stopped'));
    let fail: (error: Error) => void = () => {};
    const seen = await unhandledDuring(async () => {
      const outcome = await link.settle(new Promise((_resolve, reject) => (fail = reject)));
      expect(outcome).toBeInstanceOf(Failure);
      expect(((outcome as Failure).error as Error).message).toBe('stopped');
      fail(new Error('late'));
    });
    expect(seen).toEqual([]);
  });
});

describe('untilAborted', () => {
  it('runs onAbort once when the abort wins the race', async () => {
    const controller = new AbortController();
    let aborted = 0;
    const raced = untilAborted(new Promise(() => {}), controller.signal, () => (aborted += 1));
    controller.abort(new Error('stop'));
    await expect(raced).rejects.toThrow('stop');
    expect(aborted).toBe(1);
  });

  it('lets go of the signal once the promise settles: a later abort runs no onAbort', async () => {
    const controller = new AbortController();
    let aborted = 0;
    await expect(untilAborted(Promise.resolve(7), controller.signal, () => (aborted += 1))).resolves.toBe(7);
    await expect(untilAborted(Promise.reject(new Error('no')), controller.signal, () => (aborted += 1))).rejects.toThrow('no');
    controller.abort(new Error('later'));
    expect(aborted).toBe(0);
  });

  it('rejects with the reason of a signal already aborted, without waiting for the promise', async () => {
    const reason = new Error('gone before');
    const raced = untilAborted(new Promise(() => {}), AbortSignal.abort(reason)).catch((error: unknown) => error);
    // A macrotask runs after every promise job: the rejection has come by then, or never will.
    const pending = new Promise((resolve) => setImmediate(() => resolve('still waiting')));
    expect(await Promise.race([raced, pending])).toBe(reason);
  });
});
