/**
 * Offset paging over a list that changes behind the read position. An item that leaves the list before
 * the read position (a Socotra failed job resumed or deleted, an Informatica event whose status no
 * longer matches the search, VENDORS.md) moves every later item to a lower offset, and a plain offset
 * then skips one item per departure; an item that joins before it moves them up, and the offset
 * repeats one. So every page at a nominal offset o > 0 re-reads m = min(overlap, o) items before it
 * (offset o - m, limit pageSize + m) and drops the items it remembers: the P = `OVERLAP_KEYS` keys the
 * previous page ended with, which the cursor carries, and, within one iteration, what it delivered.
 *
 * Why that is enough. Let X be the first item not yet delivered, at offset o at the previous read, and
 * let r items leave and i items join the list before X until this read: X is now at o - r + i.
 * - Nothing is lost while X is not before the read's start: o - m <= o - r + i, so r - i <= m.
 * - An item of the answer before X was delivered (or joined the list, and is new). At the previous
 *   read, the items between it and X were the ones between them now (at most m - r + i - 1) plus the
 *   ones that left (at most r): it was at most m + i items before X, so among the P remembered keys
 *   while m + i <= P. Up to P - m insertions are dropped, never delivered twice.
 * - The read checks its position: the answer must hold a remembered item, which X follows. While
 *   r - i < m one of its first m items is one (unless insertions filled them all); once r - i >= m,
 *   X is at o - m or earlier and none is: the position is lost.
 * So fewer than m departures and up to P - m insertions between two reads cost nothing more than the
 * m items re-read, as long as no more items join between two reads than a page holds: a read moves on
 * by a page, so faster insertions leave each read further behind the position than the one before,
 * until the remembered keys no longer reach and items delivered before a cursor come again. A lost position is looked for further back, with the largest request the vendor
 * serves, ending where the lost one did: any remembered item in it is followed by the position (a
 * consumer that resumes some of the jobs it reads leaves such items). Failing that, the listing
 * restarts at offset 0, and resumes after the last remembered item that answer holds. Holding none,
 * it drops only what it remembers, and repeats the items delivered earlier that are still listed,
 * rather than skip one: a repeat is visible to the consumer, a skipped item is not, and an offset
 * alone cannot tell where the position went. Within one iteration the items it
 * delivered are remembered (up to `REMEMBERED_ITEMS`), so a consumer that resumes or deletes every item
 * it reads, which loses the position on every page longer than m, meets no repeat: the restart finds
 * the pages fetched ahead of it again, and drops them; and insertions between two reads of one
 * iteration repeat nothing however many they are. A cursor carries only the P keys: between a page
 * and the resumption of its cursor, up to P - m insertions repeat nothing.
 *
 * The end of the listing counts the whole answer: it is short when fewer items came than asked for,
 * unless it is an answer given before to another offset (`repeatsAnswer`): a vendor or cache that does
 * not honour the offset, whose answers say nothing of the position and end nothing.
 */
import type { OffsetPage, OffsetRequest } from './offset.js';
import { fnv1a64 } from '../hash.js';
import { PredecessorChain } from './predecessor.js';
import { NoProgressError } from './state.js';
import type { Step } from './types.js';

/** Items re-read before each page's offset: fewer departures than this between two reads lose nothing. */
export const OVERLAP_ITEMS = 10;
/** Keys remembered from the end of a page: `OVERLAP_KEYS - OVERLAP_ITEMS` insertions repeat nothing. */
export const OVERLAP_KEYS = 20;
/** Items one iteration remembers in memory beyond the cursor's keys: a few hundred kilobytes at most. */
const REMEMBERED_ITEMS = 10_000;

/** Where an overlapping listing stands: the part of a cursor state this file reads and writes. */
export interface OverlapPosition {
  /** Nominal offset: the items before the read position at the last read. */
  o: number;
  /**
   * Keys of the last items before `o` at the last read (oldest first, at most `OVERLAP_KEYS`); empty
   * in a cursor issued before keys were kept, whose offset is then trusted as it was.
   */
  p: string[];
  /** Times the listing looked for a lost position: offsets from before and after do not compare. */
  r: number;
}

/** How items are remembered and found again. */
export interface ItemKeys<R> {
  /** The key an item is remembered under in a cursor, unique within the listing: short, such as an `idKey`. */
  key(item: R): string;
  /**
   * The form keys are compared in, when cheaper than building every item's key (a numeric id
   * compared as a number): `ofKey(key(item))` must equal `ofItem(item)`.
   * @default the key itself
   */
  lookup?: { ofKey(key: string): unknown; ofItem(item: R): unknown };
  /**
   * Items delivered inside `item` that the vendor can later list on their own (Informatica's child
   * events, once their parent leaves a status filter): remembered with it, so not delivered again.
   * @default none
   */
  nested?(item: R): readonly R[] | null | undefined;
}

export interface OffsetOverlapOptions<R, S> {
  /**
   * Items re-read before each page: `OVERLAP_ITEMS`, or 0 where items never leave the list before the
   * read position (the remembered keys then absorb insertions alone, up to `OVERLAP_KEYS`).
   */
  overlap: number;
  /** The largest `limit` the vendor serves whole (above `overlap`); a page then brings `maxLimit - m` new items. */
  maxLimit: number;
  keys: ItemKeys<R>;
  /** The strategy's `position`. */
  position(state: S): string;
  /** The overlap part of a state. */
  at(state: S): OverlapPosition;
}

/** One page read against the position before it. */
export interface OverlapRead<R> {
  /** The answer's items not delivered before, in the vendor's order. */
  items: R[];
  /** The position after this page. */
  position: OverlapPosition;
  /** The total the vendor reported with the answer used. */
  total: number | undefined;
  /** The vendor has nothing more right now: the answer was short. */
  end: boolean;
}

export interface OffsetOverlap<R, S> {
  /** The nominal offset after a full page at `o`. */
  following(o: number, pageSize: number): number;
  /** Marks `predicted` as the state after the page at `state` (see `PredecessorChain`); returns it. */
  predict(state: S, predicted: S): S;
  /**
   * Fetches the page at `state` through `fetchPage` (up to twice more when its position is lost) and
   * reads it against the state the page before really ended in; `settle` turns that into the
   * strategy's step. `delivered`: the lookup forms of what the iteration delivered on earlier pages,
   * nested items included (empty after a resumed cursor), which the read dropped at the top level only;
   * it grows once `settle` returns.
   */
  fetch(
    state: S,
    pageSize: number,
    fetchPage: (request: OffsetRequest) => Promise<OffsetPage<R>>,
    settle: (before: S, read: OverlapRead<R>, delivered: ReadonlySet<unknown>) => Step<R, S>,
  ): Promise<Step<R, S>>;
}

export function offsetOverlap<R, S extends object>(options: OffsetOverlapOptions<R, S>): OffsetOverlap<R, S> {
  const { overlap, maxLimit, keys, at } = options;
  const { ofKey, ofItem } = keys.lookup ?? { ofKey: (key: string): unknown => key, ofItem: (item: R): unknown => keys.key(item) };
  const chain = new PredecessorChain(options.position);
  /**
   * For a state a page ended in: the lookup forms of what its iteration delivered so far, oldest first,
   * at most `REMEMBERED_ITEMS`. In memory only (a cursor resumes without it), and shared along the
   * iteration: pages settle in the order they are delivered, each after the one before it.
   */
  const delivered = new WeakMap<S, Set<unknown>>();
  /** For a state a page ended in: the answers its iteration received so far, as `delivered` holds what it delivered. */
  const answers = new WeakMap<S, Answers>();

  const request = (o: number, pageSize: number): OffsetRequest => {
    const m = Math.min(overlap, o);
    return { offset: o - m, limit: Math.min(pageSize + m, maxLimit) };
  };
  /** The keys of the last items of `items`, as many as a position keeps. */
  const lastKeys = (items: readonly R[]): string[] => items.slice(-OVERLAP_KEYS).map((item) => keys.key(item));

  /**
   * A page read where a lost position was found again: its new items, up to `pageSize` so that it is
   * no longer than the others; the position after the last one taken. The position follows the last
   * item the answer holds of those the page before ended with (`p`): the items before it were
   * delivered, or joined the list behind the position since. Taken as new, the ones the listing no
   * longer remembered came again (a cursor keeps `OVERLAP_KEYS` keys): the tail of a consumer that
   * resumed some of the failed jobs it read brought every job it kept once more.
   */
  const recovered = (answer: OffsetPage<R>, request: OffsetRequest, known: (item: R) => boolean, p: readonly string[], pageSize: number, r: number): OverlapRead<R> => {
    const remembered = new Set(p.map(ofKey));
    const anchor = answer.items.findLastIndex((item) => remembered.has(ofItem(item)));
    const items: R[] = [];
    let taken = answer.items.length;
    for (const [index, item] of answer.items.entries()) {
      if (index <= anchor || known(item)) continue;
      if (items.length === pageSize) {
        taken = index;
        break;
      }
      items.push(item);
    }
    return settled(answer, request, items, carried(p, answer.items.slice(0, taken)), r, taken);
  };

  const read = async (
    before: OverlapPosition,
    memory: ReadonlySet<unknown>,
    page: OffsetPage<R>,
    pageSize: number,
    fetchPage: (request: OffsetRequest) => Promise<OffsetPage<R>>,
  ): Promise<OverlapRead<R>> => {
    const sent = request(before.o, pageSize);
    const m = before.o - sent.offset;
    // A cursor without keys was issued before they were kept: its offset is trusted, as it was then.
    if (m > 0 && before.p.length === 0) return settled(page, sent, page.items.slice(m), lastKeys(page.items), before.r);
    const remembered = new Set(before.p.map(ofKey));
    const known = (item: R): boolean => {
      const value = ofItem(item);
      return remembered.has(value) || memory.has(value);
    };
    const fresh = page.items.filter((item) => !known(item));
    // A delivered item anywhere in the answer is followed by the position: among the first m items
    // unless too many left, further on when insertions pushed it.
    if (m > 0 && fresh.length === page.items.length && sent.offset > 0) {
      // The position is lost. The widest request ending where this one did finds it if it holds a
      // remembered item; offset 0 always does.
      const widest = { offset: Math.max(0, sent.offset + sent.limit - maxLimit), limit: maxLimit };
      if (widest.offset > 0 && widest.offset < sent.offset) {
        const answer = await fetchPage(widest);
        if (answer.items.some(known)) return recovered(answer, widest, known, before.p, pageSize, before.r + 1);
      }
      const start = { offset: 0, limit: maxLimit };
      return recovered(await fetchPage(start), start, known, before.p, pageSize, before.r + 1);
    }
    return settled(page, sent, fresh, carried(before.p, page.items), before.r);
  };

  /**
   * The keys a position keeps after a read that passed the `answer` items, the page before having
   * ended with `p`: the answer's last ones and, on a page shorter than `OVERLAP_KEYS`, the older ones
   * of `p` before them. Not those between two keys of `p` the answer holds, in their order, that it
   * lacks: those items left the list, and kept, their keys took the places of the items right before
   * the page, which a cursor resumed after a few more items left re-read as new (the tail of a
   * consumer that resumes some of the failed jobs it reads met them again). The keys after the last
   * one it holds stay: their items may have come after the answer was made (answers come out of
   * order), or been pushed past it by insertions ahead of them. So do all of them when the answer
   * holds none of `p`, or holds them out of order (insertions pushed remembered items past an answer
   * before, and the keys kept then precede the answer's though their items follow them).
   */
  const carried = (p: readonly string[], answer: readonly R[]): string[] => {
    const ended = lastKeys(answer);
    if (ended.length >= OVERLAP_KEYS) return ended;
    const at = new Map(answer.map((item, index) => [ofItem(item), index]));
    const hits = p.flatMap((key, index) => (at.has(ofKey(key)) ? [{ index, at: at.get(ofKey(key)) as number }] : []));
    const first = hits[0];
    const last = hits.at(-1);
    if (first === undefined || last === undefined || hits.some((hit, i) => i > 0 && hit.at < (hits[i - 1] as typeof hit).at)) {
      return [...p.filter((key) => !at.has(ofKey(key))), ...ended].slice(-OVERLAP_KEYS);
    }
    return [...p.slice(0, first.index), ...p.slice(last.index + 1), ...ended].slice(-OVERLAP_KEYS);
  };

  return {
    following(o, pageSize) {
      const { offset, limit } = request(o, pageSize);
      return offset + limit;
    },
    predict: (state, predicted) => chain.predict(state, predicted),
    fetch(state, pageSize, fetchPage, settle) {
      return chain.fetch(state, () => fetchPage(request(at(state).o, pageSize)), async (before, page) => {
        const memory = delivered.get(before) ?? new Set<unknown>();
        const outcome = await read(at(before), memory, page, pageSize, fetchPage);
        const log = answers.get(before) ?? { offsets: new Map<string, number>(), repeats: 0 };
        const repeated = repeatsAnswer(log, request(at(before).o, pageSize).offset, page.items.map(ofItem), outcome, page.items);
        // An answer given before to another offset tells nothing of this one: short, it is no end (the
        // rest was never read), and the position keeps the keys the page before ended with, by which a
        // cursor resumed on a vendor that pages finds it again.
        const result = repeated ? { ...outcome, end: false, position: { ...outcome.position, p: at(before).p } } : outcome;
        const step = settle(before, result, memory);
        // Without an overlap too: insertions ahead of the position push more delivered items onto the
        // next page than the cursor's keys remember (a vendor that makes events visible late).
        if (!step.done) {
          const remember = (item: R): void => {
            memory.add(ofItem(item));
            for (const inner of keys.nested?.(item) ?? []) remember(inner);
          };
          for (const item of result.items) remember(item);
          for (const oldest of memory) {
            if (memory.size <= REMEMBERED_ITEMS) break;
            memory.delete(oldest);
          }
          delivered.set(step.state, memory);
          answers.set(step.state, log);
        }
        return step;
      });
    },
  };
}

/**
 * The answers an iteration received, for `repeatsAnswer`: the fingerprint of each of the last
 * `REMEMBERED_ANSWERS` (its items' lookup forms, in order) with the offset asked for, and how many in a
 * row were answers before to another offset. Shared along the iteration, as what it delivered is.
 */
interface Answers {
  offsets: Map<string, number>;
  repeats: number;
}

/** Answers remembered: a vendor cycling through more than these many answers is caught by `maxEmptyPages`. */
const REMEMBERED_ANSWERS = 16;

/**
 * Answers that repeat one before to another offset, in a row, bringing nothing new: the vendor does
 * not honour the offset (or a cache answers for it). Two such are given up on at the third: each takes
 * a request (Informatica allows 5 a minute), and `maxEmptyPages` would have waited for 25 or more. A
 * list that changes does repeat an answer, but only after exactly as many insertions ahead of the
 * position as the offsets differ, and not three times in a row.
 */
const MAX_SAME_ANSWERS = 2;

/**
 * Records the answer to `offset` of `items` (lookup forms) that gave `read`; whether it repeats one
 * before to another offset, bringing nothing new. The overlap asks for offset 0 again while the position
 * is within it, and the same answer then is the end of a short list. Throws at the third in a row, the
 * answer as received (`raw`) kept for the error.
 */
function repeatsAnswer(answers: Answers, offset: number, items: readonly unknown[], read: OverlapRead<unknown>, raw: unknown): boolean {
  if (items.length === 0) return false;
  const fingerprint = fnv1a64(items.join('\u0000'));
  const before = answers.offsets.get(fingerprint);
  const same = read.items.length === 0 && before !== undefined && before !== offset;
  answers.repeats = same ? answers.repeats + 1 : 0;
  if (answers.repeats >= MAX_SAME_ANSWERS) {
    throw new NoProgressError(
      `the vendor answered ${answers.repeats + 1} pages in a row with the same ${items.length} items as before at other offsets, as if the offset had not been sent`,
      raw,
      "a cache or proxy in between may answer for another request or drop the offset; resume from the last page's cursor once the vendor pages on",
    );
  }
  answers.offsets.delete(fingerprint);
  answers.offsets.set(fingerprint, offset);
  for (const oldest of answers.offsets.keys()) {
    if (answers.offsets.size <= REMEMBERED_ANSWERS) break;
    answers.offsets.delete(oldest);
  }
  return same;
}

/** The read of `answer` to `request`, of which the first `taken` items are behind the new position. */
function settled<R>(answer: OffsetPage<R>, request: OffsetRequest, items: R[], p: string[], r: number, taken = answer.items.length): OverlapRead<R> {
  const total = typeof answer.total === 'number' && Number.isInteger(answer.total) && answer.total >= 0 ? answer.total : undefined;
  return {
    items,
    position: { o: request.offset + taken, p, r },
    total,
    end: taken === answer.items.length && answer.items.length < request.limit,
  };
}
