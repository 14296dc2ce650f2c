/**
 * The options bag of a single call (`get`, `forRequest`, ...): its own `signal`, linked by the request
 * pipeline with the client's, so that one call can be cancelled without cancelling the client.
 */
import { checkMembers, requireObject, SIGNAL_RULE, type Rules } from './config.js';
import { allowManyListeners } from './signal.js';

export interface CallOptions {
  /**
   * Aborts this call: honoured while it waits in the rate limiter, in the request in flight and during
   * back-off; the call then rejects with the signal's reason.
   * @default undefined (only the client's own signal)
   * @example { signal: AbortSignal.timeout(5_000) }
   */
  signal?: AbortSignal | undefined;
}

const CALL_OPTIONS: Rules = { signal: SIGNAL_RULE };

/**
 * Checks a call's options as a factory's are (a misspelt `signl` would be ignored without a word) and
 * returns its signal. `rules`: the call's members, `signal` among them.
 */
export function callSignal(options: unknown, rules: Rules = CALL_OPTIONS): AbortSignal | undefined {
  requireObject(options, 'options');
  checkMembers(options, '', rules, true);
  const { signal } = options as CallOptions;
  // An application's signal may be given to many calls at once, each holding a listener on it until it settles.
  return signal === undefined ? undefined : allowManyListeners(signal);
}
