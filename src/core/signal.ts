/**
 * Linked abort signals with explicit clean-up. `AbortSignal.any` would do, but on Node 20 the signals it
 * creates stay referenced from a long-lived source (a client's `signal`) until that source is collected,
 * so a busy client would accumulate listeners; here each link removes its listeners when disposed.
 */

export interface LinkedSignal {
  readonly signal: AbortSignal;
  /** Aborts the linked signal itself, with `reason`. */
  abort(reason: unknown): void;
  /** Removes the listeners from the sources; call it when the operation settles. */
  dispose(): void;
}

/** A signal that aborts, with the source's reason, as soon as any of `sources` aborts. */
export function linkSignals(sources: ReadonlyArray<AbortSignal | undefined>): LinkedSignal {
  const controller = new AbortController();
  const cleanups: Array<() => void> = [];
  const dispose = (): void => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  };
  for (const source of sources) {
    if (!source) continue;
    if (source.aborted) {
      controller.abort(source.reason);
      break;
    }
    const onAbort = (): void => {
      controller.abort(source.reason);
      dispose();
    };
    source.addEventListener('abort', onAbort, { once: true });
    cleanups.push(() => source.removeEventListener('abort', onAbort));
  }
  if (controller.signal.aborted) dispose();
  return {
    signal: controller.signal,
    abort: (reason) => {
      controller.abort(reason);
      dispose();
    },
    dispose,
  };
}
