/**
 * One page of the Socotra event stream as the shared token strategy takes it. The stream is ordered by
 * completion and may deliver an event again (a plugin's custom event re-emitted by a retried call, seed
 * 000); the token strategy drops repeats, within a page and across the page boundary, on `locator`.
 */
import type { TokenPage } from '../../core/paginate/token.js';
import type { SocotraEvent, SocotraEventStream } from './schemas.js';

export function toTokenPage(stream: SocotraEventStream): TokenPage<SocotraEvent> {
  // A missing or `null` `events` is an empty page: the end of the stream.
  return { items: stream.events ?? [], token: stream.pagingToken };
}
