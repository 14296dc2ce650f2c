/**
 * An error and the errors down its `cause` chain: fetch rejects with `TypeError: fetch failed` and puts
 * what happened (a refused connection, a reset, a decompressor's failure) a level or two down.
 */

/** An error of the chain, with the `code` Node and undici give theirs. */
export type ChainedError = Error & { code?: unknown };

/** `error` and its causes, outermost first, `depth` at most, as long as each is an `Error`. */
export function* causes(error: unknown, depth = 4): Generator<ChainedError> {
  let current = error;
  for (let level = 0; level < depth && current instanceof Error; level += 1) {
    yield current;
    current = current.cause;
  }
}
