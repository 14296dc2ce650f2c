/**
 * Pages fetched ahead whose reading depends on how the page before them really ended: the keys it
 * ended with (offset overlap), or ids collected along the way (Informatica's tail overlap). A predicted
 * page's request goes out at once; its answer is read only once the page before has settled, against
 * the state that page really ended in rather than the guess it was requested with. The requests
 * overlap, the bookkeeping stays in order.
 */
import type { Step } from './types.js';

const noop = (): void => {};

export class PredecessorChain<S extends object> {
  /** For a state a fetch ran for: the state its page ended in. */
  readonly #outcomes = new WeakMap<S, Promise<S>>();
  /** For a predicted state: the outcome of the page before it. */
  readonly #predecessors = new WeakMap<S, Promise<S>>();

  /** @param position the strategy's `position`: where a state points in the listing. */
  constructor(private readonly position: (state: S) => string) {}

  /** Records that `predicted` follows the page at `state`; returns `predicted`, for `following`. */
  predict(state: S, predicted: S): S {
    this.#predecessors.set(predicted, this.#outcomes.get(state) ?? Promise.resolve(state));
    return predicted;
  }

  /**
   * Fetches the page at `state`: `send` starts its request now; `settle` reads the answer against
   * `before`, the state the page before really ended in (`state` itself when it was not predicted).
   */
  fetch<A, R>(state: S, send: () => Promise<A>, settle: (before: S, sent: A) => Promise<Step<R, S>>): Promise<Step<R, S>> {
    const outcome = (async (): Promise<Step<R, S>> => {
      const [sent, before] = await Promise.all([send(), this.#predecessors.get(state) ?? state]);
      // The page before ended elsewhere than predicted: the engine discards this page unread, so it is
      // not read either (reading it could cost a request, see `offsetOverlap`).
      if (this.position(before) !== this.position(state)) throw new DOMException('Predicted page discarded', 'AbortError');
      return settle(before, sent);
    })();
    const next = outcome.then((step) => step.state);
    // Nobody may ask for it (the listing ended, or this page failed and the error surfaces there).
    next.catch(noop);
    this.#outcomes.set(state, next);
    return outcome;
  }
}
