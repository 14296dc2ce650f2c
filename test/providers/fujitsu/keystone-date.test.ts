/**
 * A Keystone answer without `issued_at` dates the token's lifetime by its `Date` header, which HTTP
 * writes in three forms (RFC 9110 §5.6.7); the asctime one names no zone and is GMT all the same. Read
 * in the host's zone, a token an hour long looked hours old or hours longer away from New York or
 * Kolkata: every request logged in again, or the token was sent past its end.
 */
import { describe, expect, it } from 'vitest';
import { inTimeZone } from '../../testing/time-zone.js';
import { loginsWithoutIssuedAt } from './helpers.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** `ms` as asctime (`Sun Nov  6 08:49:37 1994`), GMT without saying so. */
function asctime(ms: number): string {
  const d = new Date(ms);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${day} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

describe.each(['America/New_York', 'Asia/Kolkata', 'Pacific/Chatham'])('keystone Date in asctime, in %s', (zone) => {
  it('logs in once, and again before the token expires', async () => {
    await inTimeZone(zone, async () => {
      expect(await loginsWithoutIssuedAt(0, asctime)).toEqual({ first: 1, renewed: 2, listings: 6 });
    });
  });
});
