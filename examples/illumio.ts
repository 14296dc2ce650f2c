/**
 * Collects an Illumio PCE organization's events, newest first, and remembers where it stopped.
 *
 *   TRIBUTARY_ILLUMIO_BASE_URL=https://pce.example.com:8443 TRIBUTARY_ILLUMIO_ORG_ID=1 \
 *   TRIBUTARY_ILLUMIO_API_KEY=api_... TRIBUTARY_ILLUMIO_API_SECRET=... npx tsx examples/illumio.ts
 *
 * Optional: EXAMPLE_ILLUMIO_SINCE (RFC 3339; only events from then on), EXAMPLE_ILLUMIO_CURSOR
 * (resume from a cursor this program printed before: only events recorded since come back).
 */
import { illumio } from 'tributary/illumio';
import { runIfMain } from './run.js';

export async function main(env: Record<string, string | undefined>): Promise<string[]> {
  const baseUrl = env['TRIBUTARY_ILLUMIO_BASE_URL'];
  const orgId = env['TRIBUTARY_ILLUMIO_ORG_ID'] ?? '1';
  const apiKey = env['TRIBUTARY_ILLUMIO_API_KEY'];
  const apiSecret = env['TRIBUTARY_ILLUMIO_API_SECRET'];
  if (!baseUrl || !apiKey || !apiSecret) {
    return ['Set TRIBUTARY_ILLUMIO_BASE_URL, TRIBUTARY_ILLUMIO_API_KEY and TRIBUTARY_ILLUMIO_API_SECRET.'];
  }
  const since = env['EXAMPLE_ILLUMIO_SINCE'];
  const pce = illumio({ baseUrl, orgId, apiKey, apiSecret, userAgent: 'illumio-example/1.0' });
  // The PCE cuts every answer at max_results without saying so; the SDK splits the time window until
  // nothing is left out, so a small page size only means more requests, never lost events.
  const listing = pce.events.list({ pageSize: 20, ...(since ? { since } : {}) });
  const lines: string[] = [];
  const bySeverity = new Map<string, number>();
  let cursor = env['EXAMPLE_ILLUMIO_CURSOR'];
  let count = 0;
  let newest: string | undefined;
  for await (const page of listing.byPage(cursor ? { cursor } : {})) {
    for (const event of page.items) {
      count += 1;
      newest ??= event.id;
      const severity = event.severity ?? 'unknown';
      bySeverity.set(severity, (bySeverity.get(severity) ?? 0) + 1);
      if (count <= 5) {
        const actor = event.actor ? `${event.actor.kind}:${event.actor.name ?? event.actor.id ?? '-'}` : '-';
        lines.push(`${event.time} ${severity.padEnd(8)} ${event.type} by ${actor}`);
      }
    }
    // Store the cursor only once the page is handled: a crash then repeats a page instead of losing it.
    cursor = page.cursor;
  }
  const summary = [...bySeverity].map(([severity, n]) => `${severity} ${n}`).join(', ');
  lines.push(`${count} events (${summary || 'none'}); resume with EXAMPLE_ILLUMIO_CURSOR=${cursor ?? ''}`);
  if (newest !== undefined) {
    // `event.id` is the PCE href, which `events.get` takes as it is.
    const event = await pce.events.get(newest);
    lines.push(`newest ${event.id} from ${String(event.data.pce_fqdn)} (${event.source})`);
  }
  return lines;
}

runIfMain(import.meta, main);
