/**
 * The emulated PCE's asynchronous collection export: `Prefer: respond-async` answers `202` with a
 * `Location` naming a job; the job is polled until `done` (or `completed`, or `failed`) and its
 * `result.href` names a datafile holding every match, with no `max_results` cut. What VENDORS.md does
 * not document (a job ended with another word, a job or a datafile no longer there, a `Retry-After`
 * written as a date) is sent only when `outcome` or `retryAfterForm` asks for it.
 */
import { checkMembers, invalidOption, isPlainObject, type Rules } from '../../core/config.js';
import { EmulatorHttpError, json } from '../../testing/responses.js';
import type { IllumioEvent } from './schemas.js';

/** How one export job ends; what is left out comes from `pollsBeforeDone`, `doneStatus` and `fail`. */
export interface IllumioJobOutcome {
  /**
   * Polls answered before the job ends (`pending` the first, `running` the others).
   * @default async.pollsBeforeDone
   * @example { polls: 3 }
   */
  polls?: number | undefined;
  /**
   * The status word the job ends with. `done` or `completed` (in any case) finishes it with a
   * `result.href`; any other word ends it as a failed job ends, `result: null` and `terminated_at`:
   * `failed` (the PCE's word, VENDORS.md) or one the PCE does not document, such as `cancelled` or
   * `expired`. `pending` and `running` are not ends: `polls` gives those.
   * @default async.doneStatus, or 'failed' with async.fail
   * @example { status: 'cancelled' }
   */
  status?: string | undefined;
  /**
   * The `error_message` of a job that ended without a result; `null` for none.
   * @default 'Export failed: datafile could not be written' for `failed`, none for another word
   * @example { status: 'expired', errorMessage: 'Job expired' }
   */
  errorMessage?: string | null | undefined;
  /**
   * What is gone when the client comes for it: `'job'`, the job's URL answers `404` once its `polls`
   * are over, as for a job the PCE never had; `'result'`, the job finishes but its datafile answers
   * `404`.
   * @default none
   * @example { polls: 2, gone: 'job' }
   */
  gone?: 'job' | 'result' | undefined;
}

/** A job as it starts, for an `outcome` function to decide its end by. */
export interface IllumioJobStart {
  /** 0 for the first job the emulator started (since `reset()`), 1 for the next... */
  readonly index: number;
  /** The id in its href, `job-00000001`. */
  readonly id: string;
  /** The export request, `GET /api/v2/orgs/1/events?…`, as the job's `description` holds it. */
  readonly description: string;
}

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
   * How `Retry-After` is written (RFC 9110 allows both): `'seconds'`, or `'date'`, the HTTP-date
   * `retryAfter` seconds after the answer's own `Date`.
   * @default 'seconds'
   * @example { retryAfter: 5, retryAfterForm: 'date' }
   */
  retryAfterForm?: 'seconds' | 'date' | undefined;
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
  /**
   * How each job ends: one outcome for every job, a list whose n-th entry is the n-th job's (jobs past
   * its end take the defaults), or a function of the job as it starts. A bad outcome a function
   * returns is a `ConfigurationError` naming `async.outcome`, from the request that started the job.
   * @default every job as pollsBeforeDone, doneStatus and fail say
   * @example { outcome: [{ status: 'cancelled' }, { polls: 2, gone: 'job' }, { gone: 'result' }] }
   * @example { outcome: (job) => (job.index === 0 ? { status: 'expired' } : {}) }
   */
  outcome?: IllumioJobOutcome | readonly IllumioJobOutcome[] | ((job: IllumioJobStart) => IllumioJobOutcome) | undefined;
}

const FAILED_MESSAGE = 'Export failed: datafile could not be written';
const isFinished = (status: string): boolean => /^(?:done|completed)$/i.test(status);

const OUTCOME_RULES: Rules = {
  polls: [(value) => Number.isSafeInteger(value) && (value as number) >= 0, 'an integer >= 0'],
  status: [
    (value) => typeof value === 'string' && value.trim() !== '' && !/^(?:pending|running)$/i.test(value),
    'a word that ends a job (not pending or running)',
  ],
  errorMessage: [(value) => value === null || typeof value === 'string', 'a string or null'],
  gone: [(value) => value === 'job' || value === 'result', "'job' or 'result'"],
};

/**
 * Refuses an outcome that could not be served, naming its member: a typo (`stauts`) would otherwise end
 * the job as the defaults do, and the test would pass for a case it never ran.
 */
export function checkJobOutcome(outcome: unknown, option: string): void {
  if (!isPlainObject(outcome)) invalidOption(option, 'expected an object of polls, status, errorMessage, gone');
  const value = outcome as Record<string, unknown>;
  checkMembers(value, `${option}.`, OUTCOME_RULES, true);
  // A vanished job sends no status, and a job ended without a result has no datafile to lose.
  if (value['gone'] === 'job' && value['status'] !== undefined) invalidOption(`${option}.gone`, "'job' sends no status: leave status out");
  if (value['gone'] === 'result' && typeof value['status'] === 'string' && !isFinished(value['status'])) {
    invalidOption(`${option}.gone`, `'result' needs a finished job, not status ${JSON.stringify(value['status'])}`);
  }
}

/** Checks `async.outcome` as given: an outcome, a list of them, or a function. */
export function checkOutcomeOption(outcome: IllumioAsyncOptions['outcome']): void {
  if (outcome === undefined || typeof outcome === 'function') return;
  if (Array.isArray(outcome)) outcome.forEach((entry: unknown, index) => checkJobOutcome(entry, `async.outcome[${index}]`));
  else checkJobOutcome(outcome, 'async.outcome');
}

interface Job {
  id: string;
  pollsLeft: number;
  polls: number;
  status: string;
  errorMessage: string | null;
  gone: 'job' | 'result' | undefined;
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
  const { location = 'absolute', retryAfter = 1, retryAfterForm = 'seconds', pollsBeforeDone = 1, doneStatus = 'done', fail = false, outcome } = options;
  const jobs = new Map<string, Job>();
  const files = new Map<string, IllumioEvent[]>();
  let sequence = 0;
  const waitHeaders = (): Record<string, string> => {
    if (retryAfter === null) return {};
    if (retryAfterForm === 'seconds') return { 'Retry-After': String(retryAfter) };
    // The date and the answer's `Date` from one reading of the clock: read twice, a second boundary
    // between them would make the wait a second shorter than asked.
    const at = now();
    return { Date: new Date(at).toUTCString(), 'Retry-After': new Date(at + retryAfter * 1_000).toUTCString() };
  };
  const outcomeOf = (start: IllumioJobStart): IllumioJobOutcome => {
    if (typeof outcome === 'function') {
      const decided: unknown = outcome(start);
      checkJobOutcome(decided, 'async.outcome');
      return decided as IllumioJobOutcome;
    }
    if (Array.isArray(outcome)) return (outcome as readonly IllumioJobOutcome[])[start.index] ?? {};
    return (outcome as IllumioJobOutcome | undefined) ?? {};
  };

  return {
    start(url, matches) {
      sequence += 1;
      const id = `job-${sequence.toString(16).padStart(8, '0')}`;
      const description = `GET ${url.pathname}${url.search}`;
      const decided = outcomeOf({ index: sequence - 1, id, description });
      const status = decided.status ?? (fail ? 'failed' : doneStatus);
      const polls = decided.polls ?? pollsBeforeDone;
      jobs.set(id, {
        id,
        pollsLeft: polls,
        polls,
        status,
        errorMessage: decided.errorMessage === undefined ? (status === 'failed' ? FAILED_MESSAGE : null) : decided.errorMessage,
        gone: decided.gone,
        // The guide shows `2016-01-14 23:16:52.303166`: a space, microseconds, no zone.
        requestedAt: new Date(now()).toISOString().replace('T', ' ').replace('Z', '000'),
        description,
        events: matches,
      });
      const href = `/orgs/${orgId}/jobs/${id}`;
      const target = location === 'href' ? href : location === 'path' ? `/api/v2${href}` : `${url.origin}/api/v2${href}`;
      return new Response(null, { status: 202, headers: { Location: target, ...waitHeaders() } });
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
        return json({ ...body, status: job.pollsLeft === job.polls - 1 ? 'pending' : 'running', result: {} }, {
          headers: waitHeaders(),
        });
      }
      if (job.gone === 'job') {
        jobs.delete(id);
        throw new EmulatorHttpError(404, `Job ${id} not found`);
      }
      const terminated_at = new Date(now()).toISOString();
      if (!isFinished(job.status)) {
        return json({ ...body, status: job.status, terminated_at, result: null, ...(job.errorMessage === null ? {} : { error_message: job.errorMessage }) });
      }
      if (job.gone !== 'result') files.set(id, job.events);
      return json({ ...body, status: job.status, terminated_at, result: { href: `/orgs/${orgId}/datafiles/${id}` } });
    },
    datafile(id) {
      const events = files.get(id);
      if (!events) throw new EmulatorHttpError(404, `Datafile ${id} not found`);
      return json(events);
    },
  };
}
