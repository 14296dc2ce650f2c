/**
 * Calls an observer without letting it break the request: a hook that throws, or returns a promise that
 * rejects, is ignored (see `Hooks` in options.ts).
 */
export function callHook<A>(hook: ((info: A) => unknown) | undefined, info: A): void {
  if (!hook) return;
  try {
    const result = hook(info);
    if (typeof result === 'object' && result !== null && 'then' in result && typeof result.then === 'function') {
      (result as PromiseLike<unknown>).then(undefined, () => undefined);
    }
  } catch {
    // Deliberately ignored: observing must never change the outcome of collection.
  }
}
