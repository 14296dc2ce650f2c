/**
 * The PCE's asynchronous collection export (VENDORS.md "Illumio"; Illumio REST API guide, "Async Job
 * Operations"): the list request with `Prefer: respond-async` answers `202 Accepted` with a `Location`
 * and usually a `Retry-After`; the job is polled while its status is `pending` or `running`, until it
 * is `done` (`completed` on some versions), then `result.href` is fetched: every match, with no
 * `max_results` cut. `failed`, or any other word, ends the job with an `IllumioJobError`.
 *
 * Traps handled here: the `Location` is absolute on some versions and relative to `/api/v2` on others
 * (`/orgs/1/jobs/…`); `Retry-After` may be missing; a PCE that ignores `Prefer` (or a proxy that drops
 * it) answers `200` with an ordinary page, returned with its headers for the caller to read as a plain
 * request's page (`pagination.ts`).
 */
import * as z from 'zod';
import type { ClientContext } from '../../core/client.js';
import { ResponseValidationError, TimeoutError } from '../../core/errors.js';
import type { QueryValue } from '../../core/request.js';
import { redact } from '../../core/redact.js';
import { parseRetryAfter } from '../../core/retry-after.js';
import { oneLine } from '../../core/shown-text.js';
import { IllumioJobError } from './errors.js';
import { eventListSchema, jobSchema, type IllumioEvent } from './schemas.js';

export interface ExportSettings {
  jobPollInterval: number;
  jobTimeout: number;
}

/** What came back: every match, or (from a PCE that ignored `Prefer`) one ordinary page and its headers. */
export type ExportResult = { exported: true; items: IllumioEvent[] } | { exported: false; items: IllumioEvent[]; headers: Headers };

const OPERATION = 'events.list';
const acceptedOrPage = z.union([eventListSchema, z.undefined()]);
const FINISHED = new Set(['done', 'completed']);
/**
 * The words of a job still at work (the guide shows `pending` and `running`, then `done` or `failed`).
 * Any other word (`cancelled`, `expired`) ends the job without a result: polling on would wait out
 * `jobTimeout` (15 minutes by default) for a job that will never finish.
 */
const UNDERWAY = new Set(['pending', 'running']);

/**
 * An href or `Location` as a request path: absolute URLs stay as they are (the pipeline refuses another
 * origin), `/api/...` paths too, and API hrefs (`/orgs/...`) get the `/api/v2` prefix.
 */
export function apiPath(reference: string): string {
  if (/^https?:\/\//i.test(reference) || reference.startsWith('/api/')) return reference;
  return `/api/v2${reference.startsWith('/') ? '' : '/'}${reference}`;
}

function invalid(message: string, issue: string, raw: unknown): ResponseValidationError {
  return new ResponseValidationError(`${OPERATION}: ${message}`, { provider: 'illumio', operation: OPERATION, issues: [issue], raw });
}

/** Runs one export of `listPath` with `query` and returns its events. */
export async function exportEvents(
  ctx: ClientContext,
  settings: ExportSettings,
  listPath: string,
  query: Readonly<Record<string, QueryValue>>,
  signal: AbortSignal,
): Promise<ExportResult> {
  const accepted = await ctx.http.request({
    operation: OPERATION,
    method: 'GET',
    path: listPath,
    query,
    headers: { Prefer: 'respond-async' },
    schema: acceptedOrPage,
    signal,
  });
  if (accepted.status !== 202) {
    // Only a 202 may come without a body: an empty 200 or a 204 holds no page, and read as an empty one
    // it ended the listing as if nothing matched (a plain request's empty body fails its schema).
    if (accepted.data === undefined) {
      throw invalid(
        `the ${accepted.status} answer to an export request has no body: neither a job (202) nor a page of events`,
        '(root): expected an array of events, received an empty body',
        null,
      );
    }
    return { exported: false, items: accepted.data, headers: accepted.headers };
  }
  const location = accepted.headers.get('location');
  if (!location) throw invalid('the 202 of an export has no Location header', 'headers.location: missing', null);
  const resultHref = await awaitJob(ctx, settings, apiPath(location), waitOf(ctx, accepted.headers, settings), signal);
  const file = await ctx.http.request({ operation: OPERATION, method: 'GET', path: apiPath(resultHref), schema: eventListSchema, signal });
  return { exported: true, items: file.data };
}

/** The wait before the next poll: the one the PCE asked for (`asked`), or the configured interval when it did not say. */
interface Wait {
  ms: number;
  asked: boolean;
}

function waitOf(ctx: ClientContext, headers: Headers, settings: ExportSettings): Wait {
  const asked = parseRetryAfter(headers, ctx.clock.now());
  return asked === undefined || asked <= 0 ? { ms: settings.jobPollInterval, asked: false } : { ms: asked, asked: true };
}

/** Polls the job until it is finished; returns its result's href. */
async function awaitJob(
  ctx: ClientContext,
  settings: ExportSettings,
  jobPath: string,
  firstWait: Wait,
  signal: AbortSignal,
): Promise<string> {
  let waited = 0;
  const startedAt = ctx.clock.now();
  let wait = firstWait;
  for (;;) {
    // The time spent polling counts too (a loaded PCE answers slowly, a poll retries through its back-off),
    // on the clock; a scaled clock's waits pass in less wall time than they stand for, so theirs count whole.
    const elapsed = Math.max(waited, ctx.clock.now() - startedAt);
    if (elapsed + wait.ms > settings.jobTimeout) {
      // Given up before the wait, not after it: a `Retry-After` beyond what is left (years, from a
      // confused PCE or proxy) is told as such, the job not having been waited for that long.
      const reason =
        wait.asked && elapsed + settings.jobPollInterval <= settings.jobTimeout
          ? `the PCE asked to wait ${Math.ceil(wait.ms / 1000)} s before polling the export job ${jobPath} again, beyond jobTimeout (${settings.jobTimeout} ms)`
          : `the export job ${jobPath} did not finish within ${settings.jobTimeout} ms`;
      throw new TimeoutError(`${OPERATION}: ${reason}`, { provider: 'illumio', operation: OPERATION, timeoutMs: settings.jobTimeout });
    }
    await ctx.clock.sleep(wait.ms, signal);
    waited += wait.ms;
    const polled = await ctx.http.request({ operation: OPERATION, method: 'GET', path: jobPath, schema: jobSchema, signal });
    const job = polled.data;
    // The guide's prose writes `Done` and `Failed`, its bodies `done`: either is read.
    const status = job.status.toLowerCase();
    if (FINISHED.has(status)) {
      const href = job.result?.href;
      if (!href) throw invalid(`the export job ${jobPath} finished without a result href`, 'result.href: missing', job);
      return href;
    }
    if (!UNDERWAY.has(status)) {
      // Redacted whole, then cut, as a status error's vendor message: a secret the cut split would survive in part.
      const reason = job.error_message ?? job.message;
      const ended = status === 'failed' ? 'failed' : `ended with status ${JSON.stringify(job.status)}`;
      throw new IllumioJobError(`${OPERATION}: the export job ${job.href ?? jobPath} ${ended}${reason ? `: ${oneLine(redact(reason))}` : ''}`, {
        provider: 'illumio',
        operation: OPERATION,
        job: job.href ?? jobPath,
        status: job.status,
      });
    }
    wait = waitOf(ctx, polled.headers, settings);
  }
}
