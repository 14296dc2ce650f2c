/**
 * Collects the database events of a FUJITSU K5 project and remembers where it stopped.
 *
 *   TRIBUTARY_FUJITSU_BASE_URL=https://database.uk-1.cloud.global.fujitsu.com \
 *   TRIBUTARY_FUJITSU_TENANT_ID=<project id> \
 *   TRIBUTARY_FUJITSU_IDENTITY__URL=https://identity.uk-1.cloud.global.fujitsu.com \
 *   TRIBUTARY_FUJITSU_IDENTITY__USER_NAME=... TRIBUTARY_FUJITSU_IDENTITY__PASSWORD=... TRIBUTARY_FUJITSU_IDENTITY__DOMAIN_NAME=<contract> \
 *   npx tsx examples/fujitsu.ts
 *
 * Instead of the identity variables, TRIBUTARY_FUJITSU_TOKEN may hold a Keystone token. Optional:
 * EXAMPLE_FUJITSU_SINCE (default: the last hour), EXAMPLE_FUJITSU_CURSOR (resume from a cursor this
 * program printed before: it yields only the events that arrived since).
 */
import { fujitsu, type FujitsuCredentials } from 'tributary/fujitsu';
import { runIfMain } from './run.js';

function credentials(env: Record<string, string | undefined>): FujitsuCredentials | undefined {
  const token = env['TRIBUTARY_FUJITSU_TOKEN'];
  if (token) return { token };
  const url = env['TRIBUTARY_FUJITSU_IDENTITY__URL'];
  const userName = env['TRIBUTARY_FUJITSU_IDENTITY__USER_NAME'];
  const password = env['TRIBUTARY_FUJITSU_IDENTITY__PASSWORD'];
  const domainName = env['TRIBUTARY_FUJITSU_IDENTITY__DOMAIN_NAME'];
  if (!url || !userName || !password || !domainName) return undefined;
  return { identity: { url, userName, password, domainName } };
}

export async function main(env: Record<string, string | undefined>): Promise<string[]> {
  const baseUrl = env['TRIBUTARY_FUJITSU_BASE_URL'];
  const tenantId = env['TRIBUTARY_FUJITSU_TENANT_ID'];
  const auth = credentials(env);
  if (!baseUrl || !tenantId || !auth) {
    return ['Set TRIBUTARY_FUJITSU_BASE_URL, TRIBUTARY_FUJITSU_TENANT_ID, and a token or identity (see the header).'];
  }
  const k5 = fujitsu({ baseUrl, tenantId, ...auth, userAgent: 'fujitsu-example/1.0' });
  const since = env['EXAMPLE_FUJITSU_SINCE'];
  const listing = k5.events.list(since ? { since } : {});
  const lines: string[] = [];
  let cursor = env['EXAMPLE_FUJITSU_CURSOR'];
  let count = 0;
  const types = new Map<string, number>();
  for await (const page of listing.byPage(cursor ? { cursor } : {})) {
    for (const event of page.items) {
      count += 1;
      types.set(event.type, (types.get(event.type) ?? 0) + 1);
      if (count <= 5) lines.push(`${event.time} ${event.type} ${event.subject ?? '-'}: ${event.message ?? ''}`);
    }
    // Keep the cursor only once the page is handled: a crash then repeats a page instead of losing it.
    cursor = page.cursor;
  }
  const summary = [...types].sort(([a], [b]) => a.localeCompare(b)).map(([type, n]) => `${type}=${n}`);
  lines.push(`${count} events${summary.length > 0 ? ` (${summary.join(', ')})` : ''}`);
  lines.push(`resume with EXAMPLE_FUJITSU_CURSOR=${cursor ?? ''}`);
  return lines;
}

runIfMain(import.meta, main);
