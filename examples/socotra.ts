/**
 * Follows a Socotra tenant's event stream, then checks its failed scheduled jobs.
 *
 *   TRIBUTARY_SOCOTRA_BASE_URL=https://api-ec-sandbox.socotra.com \
 *   TRIBUTARY_SOCOTRA_TENANT_LOCATOR=<tenant uuid> TRIBUTARY_SOCOTRA_TOKEN=<token> npx tsx examples/socotra.ts
 *
 * Optional: EXAMPLE_SOCOTRA_SINCE (an RFC 3339 time to start from), EXAMPLE_SOCOTRA_CURSOR (resume
 * from the cursor this program printed before: it yields only events that completed since).
 */
import { socotra } from 'tributary/socotra';
import { runIfMain } from './run.js';

export async function main(env: Record<string, string | undefined>): Promise<string[]> {
  const baseUrl = env['TRIBUTARY_SOCOTRA_BASE_URL'];
  const tenantLocator = env['TRIBUTARY_SOCOTRA_TENANT_LOCATOR'];
  const token = env['TRIBUTARY_SOCOTRA_TOKEN'];
  if (!baseUrl || !tenantLocator || !token) {
    return ['Set TRIBUTARY_SOCOTRA_BASE_URL, TRIBUTARY_SOCOTRA_TENANT_LOCATOR and TRIBUTARY_SOCOTRA_TOKEN.'];
  }
  const client = socotra({ baseUrl, tenantLocator, token, userAgent: 'socotra-example/1.0' });
  const since = env['EXAMPLE_SOCOTRA_SINCE'];
  const listing = client.events.list({ pageSize: 50, ...(since ? { since } : {}) });
  const lines: string[] = [];
  let cursor = env['EXAMPLE_SOCOTRA_CURSOR'];
  let count = 0;
  let cutLists = 0;
  let firstRequest: string | undefined;
  for await (const page of listing.byPage(cursor ? { cursor } : {})) {
    for (const event of page.items) {
      count += 1;
      firstRequest ??= event.subject;
      // A value of `data` with `listCompleted: false`: Socotra cut its `items`; fetch the full object if you need it.
      if (Object.values(event.data).some((value) => (value as { listCompleted?: unknown } | null)?.listCompleted === false)) cutLists += 1;
      if (count <= 5) lines.push(`${event.time} ${event.type} ${event.id} by ${event.actor?.id ?? 'system'}`);
    }
    // Store the cursor only once the page is handled: a crash then repeats a page instead of losing it.
    cursor = page.cursor;
  }
  lines.push(`${count} events (${cutLists} with a cut list); resume with EXAMPLE_SOCOTRA_CURSOR=${cursor ?? ''}`);
  if (firstRequest !== undefined) {
    const events = await client.events.forRequest(firstRequest);
    lines.push(`request ${firstRequest} produced ${events.length} event(s): ${events.map((e) => e.type).join(', ')}`);
  }
  const quit = await client.schedules.failed.list({ state: 'quit' }).toArray();
  lines.push(`${quit.length} scheduled job(s) gave up${quit[0] ? `, e.g. ${quit[0].triggerGroup}/${quit[0].triggerName}` : ''}`);
  return lines;
}

runIfMain(import.meta, main);
