/**
 * The listing of a query no event can match (`PaginateOptions.empty`: a time window that holds no
 * millisecond an event can carry), for which the vendor would be asked for the events of a millisecond
 * next to it. It ends at once without a request, with the states and cursors of the strategy it stands for.
 */
import type { PagingStrategy } from './types.js';

export function listsNothing<R, S>(strategy: PagingStrategy<R, S>): PagingStrategy<R, S> {
  return {
    kind: strategy.kind,
    initial: () => strategy.initial(),
    validate: (state) => strategy.validate(state),
    fetch: async (state) => ({ items: [], state, done: true }),
  };
}
