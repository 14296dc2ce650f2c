/**
 * Failed scheduled jobs leave the listing when they are resumed or deleted, which a consumer does as it
 * reads them, and join it when more jobs fail. Through the emulator and the client's own `resume` and
 * `delete`: one listing delivers every job once, a page cursor resumed later loses none, and the tail
 * cursor yields the jobs that failed since, even after the listed ones were resumed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { socotra, type SocotraClient, type SocotraFailedJob } from '../../../src/providers/socotra/index.js';
import { socotraEmulator } from '../../../src/providers/socotra/emulator.js';
import type { EmulatedFailedJob } from '../../../src/providers/socotra/emulator-store.js';
import { createRng } from '../../../src/testing/rng.js';
import { fastClock, HOST, TENANT, TOKEN } from './connect.js';

function setup(seed: number, jobs: number) {
  const clock = fastClock();
  const emulator = socotraEmulator.create({ seed, events: 0, failedJobs: jobs, clock });
  const client = socotra({ baseUrl: HOST, tenantLocator: TENANT, token: TOKEN, fetch: emulator.fetch, clock, retry: false, rateLimit: false });
  let failures = 0;
  /** A job that fails now: it joins the end of the listing. */
  const fail = (): string => {
    failures += 1;
    const at = new Date(Date.UTC(2027, 0, 1, 0, 0, failures)).toISOString();
    const job: EmulatedFailedJob = { triggerName: `later-${failures}`, triggerGroup: 'tenant', failedJobState: 'queued', failureCount: 1, createdAt: at, updatedAt: at };
    emulator.store.addFailedJob(job);
    return job.triggerName;
  };
  const listed = () => emulator.store.failedJobs(() => true, 0, Number.MAX_SAFE_INTEGER).map((job) => job.triggerName);
  return { client, fail, listed };
}

const names = (jobs: readonly SocotraFailedJob[]) => jobs.map((job) => job.triggerName);
const duplicates = (ids: readonly string[]) => ids.filter((id, index) => ids.indexOf(id) !== index);

async function pagesOf(client: SocotraClient, pageSize: number, cursor?: string) {
  const pages: Array<{ names: string[]; cursor: string }> = [];
  for await (const page of client.schedules.failed.list({ pageSize }).byPage(cursor === undefined ? {} : { cursor })) {
    pages.push({ names: names(page.items), cursor: page.cursor });
  }
  return pages;
}

describe('socotra failed jobs handled while they are listed (property)', () => {
  it('every job once, in order, whatever the consumer resumes or deletes and whatever fails meanwhile; cursors lose nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 15 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 5 }),
        async (seed, jobs, pageSize, handled, failingPerPage, later) => {
          const rng = createRng(seed);
          const { client, fail, listed } = setup(seed, jobs);
          const expected = listed();
          const got: string[] = [];
          const pages: Array<{ names: string[]; cursor: string }> = [];
          for await (const page of client.schedules.failed.list({ pageSize }).byPage()) {
            pages.push({ names: names(page.items), cursor: page.cursor });
            for (const job of page.items) {
              got.push(job.triggerName);
              if (!rng.chance(handled)) continue;
              const key = { triggerName: job.triggerName, triggerGroup: job.triggerGroup };
              await (rng.chance(0.5) ? client.schedules.failed.resume(key) : client.schedules.failed.delete(key));
            }
            // On the first pages only, so that the listing ends whatever its page size.
            if (pages.length <= 4) for (let i = 0; i < failingPerPage; i++) expected.push(fail());
          }
          // Jobs that failed after the last page was read are the tail's.
          const forTail = expected.filter((name) => !got.includes(name));
          expect(got).toEqual(expected.slice(0, got.length));
          expect(duplicates(got)).toEqual([]);

          const failedLater = [...forTail];
          for (let i = 0; i < later; i++) failedLater.push(fail());
          const still = listed();
          for (const page of pages) {
            const resumed = (await pagesOf(client, pageSize, page.cursor)).flatMap((p) => p.names);
            // More jobs left than the overlap covers: the listing may start over, repeating jobs still
            // failed, never a job that left, never one twice, and never without the later failures.
            expect(resumed.filter((name) => failedLater.includes(name))).toEqual(failedLater);
            expect(resumed.every((name) => still.includes(name))).toBe(true);
            expect(duplicates(resumed)).toEqual([]);
          }
          const tail = (await pagesOf(client, pageSize, pages.at(-1)!.cursor)).flatMap((p) => p.names);
          // Every listed job handled: only the later failures are left, and the tail yields exactly them.
          if (still.length === failedLater.length) expect(tail).toEqual(failedLater);
        },
      ),
      { numRuns: 40 },
    );
    // 8 s alone, 14 s beside other suites on a 2-core machine.
  }, 60_000);

  it('resuming each of 40 jobs as it is listed, four pages of 3 at once: all 40, then the tail yields the jobs that failed later', async () => {
    const { client, fail, listed } = setup(7, 40);
    const expected = listed();
    const got: string[] = [];
    let tail = '';
    for await (const page of client.schedules.failed.list({ pageSize: 3 }).byPage()) {
      for (const job of page.items) {
        got.push(job.triggerName);
        await client.schedules.failed.resume({ triggerName: job.triggerName, triggerGroup: job.triggerGroup });
      }
      tail = page.cursor;
    }
    expect(got).toEqual(expected);
    expect(listed()).toEqual([]);
    const later = [fail(), fail()];
    expect((await pagesOf(client, 2, tail)).flatMap((page) => page.names)).toEqual(later);
  });
});
