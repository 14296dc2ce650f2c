/**
 * The forms a PCE writes an event's `timestamp` in. VENDORS.md: timestamps come with or without
 * milliseconds, with or without a zone (a zone-less one is UTC), and a window split at one of them must
 * still meet the same instant written another way.
 */
import type { Rng } from '../../testing/rng.js';
import { zonedTime } from '../../testing/zoned-time.js';
import type { IllumioEvent } from './schemas.js';

/**
 * `'millis'`: every timestamp as the seed writes it, `2026-11-23T10:00:00.123Z`. `'mixed'`: each event in
 * a form drawn from the seed: with `Z`, without a zone, with `+00:00` or `+01:00`; a whole second with or
 * without `.000`.
 */
export type TimestampStyle = 'millis' | 'mixed';

/** `at` written in one of the forms of `'mixed'`, the same instant whichever form is drawn. */
function mixedForm(rng: Rng, at: number): string {
  const whole = at % 1000 === 0;
  const utc = new Date(at).toISOString();
  const text = whole && rng.chance(0.5) ? utc.replace('.000Z', 'Z') : utc;
  const form = rng.int(0, 3);
  // `+00:00` beside the zone forms every emulator that mixes zones writes (zoned-time.ts).
  return form === 2 ? `${text.slice(0, -1)}+00:00` : zonedTime(text, at, form === 3 ? 2 : form);
}

/**
 * The events with their timestamps in `style`. With `cut`, half of them are first cut to the whole
 * second, so that forms without milliseconds come up and seconds hold several events (the caller sorts
 * them again: a cut event falls behind uncut ones of its second). An event's form is drawn once, as it
 * is stored, so a page asked again writes it the same way.
 */
export function withTimestampStyle(rng: Rng, style: TimestampStyle, events: IllumioEvent[], cut: boolean): IllumioEvent[] {
  if (style === 'millis') return events;
  return events.map((event) => {
    const ms = Date.parse(event.timestamp);
    const at = cut && rng.chance(0.5) ? ms - (ms % 1000) : ms;
    return { ...event, timestamp: mixedForm(rng, at) };
  });
}
