/**
 * Socotra event → `TributaryEvent`. Runs once per page; per event it only reads properties and
 * rewrites the timestamp (a string rewrite, no `Date`, for the UTC forms Socotra sends).
 *
 * Mapping (the README's Socotra section has the table): `id` = `locator` (a ULID), `type` = `type`
 * (`socotra.unknown` without one), `time` =
 * `timestamp`, `actor` = the user (`userLocator`), `subject` = the API request (`requestId`), `source` =
 * `socotra:/tenants/{tenantLocator}`, `data` = `data` as sent (`{}` when missing), `raw` = the event.
 * `userLocator` and `requestId` are read as text: the first string of an array.
 */
import type { TributaryEvent } from '../../core/event.js';
import { firstText } from '../../core/text-or-list.js';
import { toRfc3339Millis } from '../../core/time.js';
import { unusableTime } from '../../core/unusable-time.js';
import type { SocotraEvent } from './schemas.js';

/** A normalized Socotra event; `raw` is the tenant's object as received. */
export type SocotraTributaryEvent = TributaryEvent<'socotra', SocotraEvent>;

/** The type of an event that came without a usable one (VENDORS.md: documented fields go missing). */
const UNKNOWN_TYPE = 'socotra.unknown';

/** The `source` of every event of a tenant. */
export function socotraSource(tenantLocator: string): string {
  return `socotra:/tenants/${tenantLocator}`;
}

/**
 * Returns the normalizer of one tenant's pages. `operation` names the client call in the error raised
 * for an event whose `timestamp` cannot be read (the one field beside `locator` the SDK needs).
 */
export function socotraNormalizer(
  tenantLocator: string,
  operation: string,
): (events: readonly SocotraEvent[]) => SocotraTributaryEvent[] {
  const source = socotraSource(tenantLocator);
  const normalizeOne = (raw: SocotraEvent): SocotraTributaryEvent => {
    const time = toRfc3339Millis(raw.timestamp);
    if (time === undefined) throw unusableTime('socotra', operation, raw.locator, 'timestamp', raw.timestamp, raw);
    // An empty one names nothing (and CloudEvents refuses an empty subject).
    const requestId = firstText(raw.requestId);
    const userLocator = firstText(raw.userLocator);
    const data = raw.data ?? {};
    const type = firstText(raw.type) || UNKNOWN_TYPE;
    // The usual event has both: one literal of its final shape, where adding them to a smaller one grows
    // a separate property store for every event.
    if (requestId && userLocator) {
      return { provider: 'socotra', id: raw.locator, type, time, source, data, raw, subject: requestId, actor: { kind: 'user', id: userLocator } };
    }
    const event: SocotraTributaryEvent = { provider: 'socotra', id: raw.locator, type, time, source, data, raw };
    if (requestId) event.subject = requestId;
    if (userLocator) event.actor = { kind: 'user', id: userLocator };
    return event;
  };
  return (events) => events.map(normalizeOne);
}
