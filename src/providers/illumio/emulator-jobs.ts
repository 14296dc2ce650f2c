/**
 * The emulated PCE's asynchronous collection export: `Prefer: respond-async` answers `202` with a
 * `Location` naming a job; the job is polled until `done` (or `completed`, or `failed`) and its
 * `result.href` names a datafile holding every match, with no `max_results` cut.
 */
import { EmulatorHttpError, json } from '../../testing/responses.js';
import type { IllumioEvent } from './schemas.js';

export interface IllumioAsyncOptions {
  /**
   * How the `202`'s `Location` names the job: `'href'` is `/orgs/1/jobs/{id}`, relative to `/api/v2`
   * (older PCEs); `'path'` is `/api/v2/orgs/1/jobs/{id}`; `'absolute'` is a full URL.
   * @default 'absolute'
   * @example { location: 'href' }
   */
  location?: 'href' | 'path' | 'absolute' | undefined;
  /**
   * `Retry-After` seconds on the `202` and on unfinished polls; `null` to send none.
   * @default 1
   * @example { retryAfter: null }
   */
  retryAfter?: number | null | undefined;
  /**
   * Polls answered before the job is finished (`pending` the first, `running` the others).
   * @default 1
   * @example { pollsBeforeDone: 3 }
   */
  pollsBeforeDone?: number | undefined;
  /**
   * The status word of a finished job; PCE versions differ.
   * @default 'done'
   * @example { doneStatus: 'completed' }
   */
  doneStatus?: 'done' | 'completed' | undefined;
  /**
   * Every job fails instead of finishing.
   * @default false
   * @example { fail: true }
   */
  fail?: boolean | undefined;
}

interface Job {
  id: string;
  pollsLeft: number;
  requestedAt: string;
  description: string;
  events: IllumioEvent[];
}

export interface IllumioJobs {
  start(url: URL, matches: IllumioEvent[]): Response;
  status(id: string): Response;
  datafile(id: string): Response;
}

export function createIllumioJobs(orgId: string, options: IllumioAsyncOptions, now: () => number): IllumioJobs {
  const { location = 'absolute', retryAfter = 1, pollsBeforeDone = 1, doneStatus = 'done', fail = false } = options;
  const jobs = new Map<string, Job>();
  const files = new Map<string, IllumioEvent[]>();
  let sequence = 0;
  const waitHeader = (): Record<string, string> => (retryAfter === null ? {} : { 'Retry-After': String(retryAfter) });

  return {
    start(url, matches) {
      sequence += 1;
      const id = `job-${sequence.toString(16).padStart(8, '0')}`;
      jobs.set(id, {
        id,
        pollsLeft: pollsBeforeDone,
        // The guide shows `2016-01-14 23:16:52.303166`: a space, microseconds, no zone.
        requestedAt: new Date(now()).toISOString().replace('T', ' ').replace('Z', '000'),
        description: `GET ${url.pathname}${url.search}`,
        events: matches,
      });
      const href = `/orgs/${orgId}/jobs/${id}`;
      const target = location === 'href' ? href : location === 'path' ? `/api/v2${href}` : `${url.origin}/api/v2${href}`;
      return new Response(null, { status: 202, headers: { Location: target, ...waitHeader() } });
    },
    status(id) {
      const job = jobs.get(id);
      if (!job) throw new EmulatorHttpError(404, `Job ${id} not found`);
      const body = {
        href: `/orgs/${orgId}/jobs/${id}`,
        job_type: 'async_export_collection',
        description: job.description,
        requested_at: job.requestedAt,
        requested_by: { href: '/users/1' },
      };
      if (job.pollsLeft > 0) {
        job.pollsLeft -= 1;
        // A running job has an empty result object, as in the vendor's guide.
        return json({ ...body, status: job.pollsLeft === pollsBeforeDone - 1 ? 'pending' : 'running', result: {} }, {
          headers: waitHeader(),
        });
      }
      const terminated_at = new Date(now()).toISOString();
      if (fail) {
        return json({ ...body, status: 'failed', terminated_at, result: null, error_message: 'Export failed: datafile could not be written' });
      }
      files.set(id, job.events);
      return json({ ...body, status: doneStatus, terminated_at, result: { href: `/orgs/${orgId}/datafiles/${id}` } });
    },
    datafile(id) {
      const events = files.get(id);
      if (!events) throw new EmulatorHttpError(404, `Datafile ${id} not found`);
      return json(events);
    },
  };
}
