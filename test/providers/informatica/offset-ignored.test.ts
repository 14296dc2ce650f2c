/**
 * A search whose `firstResult` is not honoured: a vendor that drops it, or a cache in front of the pod
 * that answers every search (a POST, its position in the body) with the answer to the first. VENDORS.md:
 * never loop for ever on the same position. Full pages of events already delivered went on until
 * `maxEmptyPages` gave up, 76 requests at 20 a page, a quarter of an hour of the pod's 5 a minute; and a
 * first answer shorter than the re-read asked for was taken for the end, the listing ending as if
 * complete with the rest of the window unread. Each fails within a few requests, every event once, with a
 * `ResponseValidationError` saying what the pod did, and the last page's cursor resumes on a pod that
 * pages, delivering the rest.
 */
import { describe, expect, it } from 'vitest';
import { isResponseValidationError } from '../../../src/core/errors.js';
import { informaticaEmulator } from '../../../src/providers/informatica/emulator.js';
import { fastClock, inProcessClient } from './connect.js';
import { pagesUntilFailure } from '../../support/pages-until-failure.js';

type Fetch = typeof globalThis.fetch;
const clock = fastClock();
const SEARCHES_ALLOWED = 40;

/** The emulator's `fetch`, its searches answered by `answer` from the search as sent; at most `SEARCHES_ALLOWED`. */
function lying(emulator: ReturnType<typeof informaticaEmulator.create>, answer: (search: Record<string, unknown>, send: (search: Record<string, unknown>) => Promise<Response>) => Promise<Response>) {
  const sent = { searches: 0 };
  const fetch: Fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!new URL(url).pathname.endsWith('/events') || typeof init?.body !== 'string') return emulator.fetch(input, init);
    if (++sent.searches > SEARCHES_ALLOWED) throw new Error(`more than ${SEARCHES_ALLOWED} searches`);
    return answer(JSON.parse(init.body) as Record<string, unknown>, (search) => emulator.fetch(url, { ...init, body: JSON.stringify(search) }));
  };
  return { sent, fetch };
}

const since = new Date(Date.now() - 60 * 86_400_000).toISOString();

/** `cycle`: how many answers the vendor goes round; each is a search more before the third repeat. */
async function expectStoppedAndResumable(emulator: ReturnType<typeof informaticaEmulator.create>, fetch: Fetch, sent: { searches: number }, cycle = 1) {
  const { ids, cursor, failure } = await pagesUntilFailure(inProcessClient(fetch, clock).events.list({ since, pageSize: 20 }));
  expect(isResponseValidationError(failure)).toBe(true);
  expect((failure as Error).message).toMatch(/the same \d+ items as before at other offsets, as if the offset had not been sent/);
  // Four searches are sent at once (SEARCH_CONCURRENCY): the pages ahead of the failure are among them.
  expect(sent.searches).toBeLessThanOrEqual(9 + cycle);
  expect(new Set(ids).size).toBe(ids.length);
  const honest = inProcessClient(emulator.fetch, clock);
  const rest: string[] = [];
  for await (const page of honest.events.list({ since, pageSize: 20 }).byPage({ cursor: cursor as string })) rest.push(...page.items.map((event) => event.id));
  const all = await honest.events.list({ since, pageSize: 100 }).toArray();
  expect([...ids, ...rest].sort()).toEqual(all.map((event) => event.id).sort());
}

describe('a search whose firstResult is not honoured', () => {
  it('answered from the first result every time: fails within a few searches, not after pages of nothing new', async () => {
    const emulator = informaticaEmulator.create({ seed: 1, events: 300, rateLimit: false, clock });
    const { sent, fetch } = lying(emulator, (search, send) => send({ ...search, firstResult: 0 }));
    await expectStoppedAndResumable(emulator, fetch, sent);
  });

  it.each([1, 2, 3])('answered with the answers to the first %i searches in turn, shorter than the search asks for: fails, not ended as if complete', async (cycle) => {
    const emulator = informaticaEmulator.create({ seed: 1, events: 300, rateLimit: false, clock });
    const answers: Array<{ body: string; headers: Headers }> = [];
    let searches = 0;
    const { sent, fetch } = lying(emulator, async (search, send) => {
      const turn = searches++;
      if (turn < cycle) {
        const answer = await send(search);
        answers.push({ body: await answer.text(), headers: answer.headers });
      }
      const { body, headers } = answers[turn % cycle] as { body: string; headers: Headers };
      return new Response(body, { status: 200, headers });
    });
    await expectStoppedAndResumable(emulator, fetch, sent, cycle);
  });
});
