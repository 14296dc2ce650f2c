/**
 * Reports the failed Cloud Integration Hub events of the last 24 hours, children included, and
 * remembers where it stopped.
 *
 *   TRIBUTARY_INFORMATICA_BASE_URL=https://cih-pod1.dm-us.informaticacloud.com \
 *   TRIBUTARY_INFORMATICA_USERNAME=... TRIBUTARY_INFORMATICA_PASSWORD=... npx tsx examples/informatica.ts
 *
 * Optional: EXAMPLE_INFORMATICA_CURSOR (resume from a cursor this program printed before: only the
 * events created since are read).
 */
import { informatica } from 'tributary/informatica';
import { runIfMain } from './run.js';

export async function main(env: Record<string, string | undefined>): Promise<string[]> {
  const baseUrl = env['TRIBUTARY_INFORMATICA_BASE_URL'];
  const username = env['TRIBUTARY_INFORMATICA_USERNAME'];
  const password = env['TRIBUTARY_INFORMATICA_PASSWORD'];
  if (!baseUrl || !username || !password) {
    return ['Set TRIBUTARY_INFORMATICA_BASE_URL, TRIBUTARY_INFORMATICA_USERNAME and TRIBUTARY_INFORMATICA_PASSWORD.'];
  }
  const client = informatica({ baseUrl, username, password, userAgent: 'informatica-example/1.0' });
  const lines: string[] = [];
  // The search allows 5 requests a minute: the largest page (2000 events) keeps a listing short.
  const listing = client.events.list({ range: 'LAST_24_HOURS' });
  let cursor = env['EXAMPLE_INFORMATICA_CURSOR'];
  let count = 0;
  let failed = 0;
  let firstFailed: string | undefined;
  for await (const page of listing.byPage(cursor ? { cursor } : {})) {
    for (const event of page.items) {
      count += 1;
      if (event.severity !== 'error') continue;
      failed += 1;
      firstFailed ??= event.id;
      if (failed <= 5) lines.push(`${event.time} ${event.id} ${event.type} ${event.subject ?? '-'}: ${event.message ?? ''}`);
    }
    // Store the cursor only once the page is handled: a crash then repeats a page instead of losing it.
    cursor = page.cursor;
  }
  lines.push(`${count} events, ${failed} failed; resume with EXAMPLE_INFORMATICA_CURSOR=${cursor ?? ''}`);
  if (firstFailed !== undefined) {
    const event = await client.events.get(firstFailed);
    lines.push(`event ${event.id} is ${event.status ?? 'unknown'} from ${event.source}`);
  }
  return lines;
}

runIfMain(import.meta, main);
