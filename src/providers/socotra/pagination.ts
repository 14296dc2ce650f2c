/**
 * One page of the Socotra event stream as the shared token strategy takes it. The stream is ordered by
 * completion and may deliver an event again (a plugin's custom event re-emitted by a retried call, seed
 * 000): the token strategy drops ids already delivered on earlier pages, and this drops a repeat inside
 * the page itself, keeping the first delivery.
 */
import type { TokenPage } from '../../core/paginate/token.js';
import type { SocotraEvent, SocotraEventStream } from './schemas.js';

export function toTokenPage(stream: SocotraEventStream): TokenPage<SocotraEvent> {
  const seen = new Set<string>();
  const items: SocotraEvent[] = [];
  for (const event of stream.events) {
    if (seen.has(event.locator)) continue;
    seen.add(event.locator);
    items.push(event);
  }
  return { items, token: stream.pagingToken };
}
