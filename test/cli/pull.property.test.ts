/**
 * `tributary pull` and `tributary watch` as shell pipelines use them, at random: each vendor's emulator
 * is served on 127.0.0.1 with a store of a few bursts at one instant, and the command is run again and
 * again with one `--cursor-file`, each run ended its own way: SIGINT, SIGTERM, SIGKILL (a crash), its
 * reader leaving once it has taken N bytes (`| head -c N`), or the listing's end; now and then the run
 * is a `watch` stopped by a signal. Events arrive between runs; a last pull (two for Informatica) reads
 * to the end.
 *
 * Promised (README, CLI section and "Continuous collection"), and checked for every run:
 * - every event the query matches comes out, in complete lines, in some run, but those a reader that
 *   left dropped with the pipe (handed to the operating system, they were saved), which two pulls from
 *   a copy of its saved cursor show it passed;
 * - an event comes out again only as one of the lines a run wrote after its last saved cursor: after
 *   the count its status line reports ("N events (interrupted); cursor X", the cursor then in the
 *   file), or, where there is none (a crash, a reader gone), within its last page;
 * - the exit code is the shell's for the way it ended: 0 at the end and when the reader left, 130 for
 *   SIGINT, 143 for SIGTERM, SIGKILL's for a crash; a watch stopped by a signal exits 0;
 * - the cursor file is never empty nor cut short: every run after it loads it;
 * - stdout holds only tributary events, one JSON object a line; stderr never a credential.
 *
 * What a reader takes in counts as delivered: the README saves a page once it is handed to the
 * operating system, and what a reader that has read it drops is beyond any writer's knowledge. The
 * vendor answers slowly enough now and then that the reader leaves before the next page is written.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cliWorkspace, listedAfter, parsedEvent, runCli, SIGNAL_STATUS, wallClockVendor, type Stop, type StopPlan } from '../support/cli-process.js';
import { DEMO_ENV, VENDOR_NAMES, type VendorName } from '../support/emulated-vendors.js';

interface Profile {
  pageSize: fc.Arbitrary<number>;
  /** Events at one instant at most: FUJITSU's marker needs a second to hold less than a page. */
  crowd: number;
  /**
   * Whether a burst may come at the instant of the newest events, while the tail's minute still reads
   * it: Informatica's cursor within a listing drops up to 10 repeats of events listed late ahead of
   * its offset (README), and FUJITSU's second must hold less than a page.
   */
  sameInstant: boolean;
}

const profiles: Record<VendorName, Profile> = {
  socotra: { pageSize: fc.integer({ min: 2, max: 10 }), crowd: 25, sameInstant: true },
  tines: { pageSize: fc.integer({ min: 2, max: 10 }), crowd: 25, sameInstant: true },
  fujitsu: { pageSize: fc.integer({ min: 25, max: 40 }), crowd: 5, sameInstant: false },
  illumio: { pageSize: fc.integer({ min: 2, max: 10 }), crowd: 25, sameInstant: true },
  informatica: { pageSize: fc.integer({ min: 2, max: 10 }), crowd: 25, sameInstant: false },
};

/** How long after its first delivery an instant still lies in the tails' minute, with room to spare. */
const SAME_INSTANT_MS = 30_000;

/** The vendors with a filter of the CLI's to narrow the query by (`emulated-vendors.ts` kinds). */
const FILTER_FLAGS: Partial<Record<VendorName, (kind: number) => string[]>> = {
  socotra: (kind) => ['--type', kind === 0 ? 'policy.issue' : 'policy.cancel'],
  tines: (kind) => ['--query', `actionId=${21 + 7 * kind}`],
};

const STOPS: readonly Stop[] = ['end', 'SIGINT', 'SIGTERM', 'SIGKILL', 'reader'];

const burstOf = (vendor: VendorName) =>
  fc.record({ count: fc.integer({ min: 1, max: profiles[vendor].crowd }), kind: fc.integer({ min: 0, max: 1 }), again: fc.boolean() });

const runOf = (vendor: VendorName) =>
  fc.record({
    stop: fc.constantFrom<Stop>(...STOPS, 'SIGKILL', 'reader', 'reader'),
    /** A watch, stopped by a signal (one that would end by itself is a pull). */
    watch: fc.constantFrom(false, false, false, true),
    /** Where the stop comes: this percentage of the events still to come, in lines (in bytes for the reader). */
    at: fc.integer({ min: 0, max: 99 }),
    /** Or this long after the command started, before it has written anything as often as not. */
    byTime: fc.constantFrom(false, false, false, true),
    delayMs: fc.integer({ min: 0, max: 1_000 }),
    pageSize: profiles[vendor].pageSize,
    added: fc.array(burstOf(vendor), { maxLength: 2 }),
  });

const scenarioOf = (vendor: VendorName) =>
  fc.record({
    /** Bursts of the half hour before the first run, seconds ago. */
    backlog: fc.uniqueArray(fc.record({ agoS: fc.integer({ min: 70, max: 1_800 }), count: fc.integer({ min: 1, max: profiles[vendor].crowd }), kind: fc.integer({ min: 0, max: 1 }) }), {
      minLength: 1,
      maxLength: 3,
      selector: (burst) => burst.agoS,
    }),
    kind: FILTER_FLAGS[vendor] === undefined ? fc.constant(undefined) : fc.constantFrom(undefined, 0, 1),
    latencyMs: fc.constantFrom(0, 30, 60, 120),
    runs: fc.array(runOf(vendor), { minLength: 1, maxLength: 3 }),
  });

type Scenario = ReturnType<typeof scenarioOf> extends fc.Arbitrary<infer S> ? S : never;
type RunPlan = Scenario['runs'][number];

describe.concurrent('tributary pull and watch in pipelines, stopped at random and resumed (property)', () => {
  const workspace = cliWorkspace('tributary-cli-property-');

  /** Plays one scenario and checks every run. */
  async function play(vendor: VendorName, scenario: Scenario, n: number): Promise<void> {
    const emulated = wallClockVendor(vendor);
    const { dir, main } = workspace;
    let created = 0;
    let lastAt = 0;
    const add = (at: number, count: number, kind: number) => {
      for (let i = 0; i < count; i++) emulated.create(at, at, created++, FILTER_FLAGS[vendor] === undefined ? 0 : kind);
      emulated.advance(Date.now());
      lastAt = Math.max(lastAt, at);
    };
    const start = Date.now();
    for (const burst of [...scenario.backlog].sort((a, b) => b.agoS - a.agoS)) add(start - burst.agoS * 1000, burst.count, burst.kind);
    if (scenario.latencyMs > 0) emulated.faults.add({ kind: 'latency', ms: scenario.latencyMs });
    const server = await emulated.listen();
    const env = { ...DEMO_ENV[vendor](server.url), [`TRIBUTARY_${vendor.toUpperCase()}_RATE_LIMIT`]: 'false' };
    const secrets = Object.entries(env)
      .filter(([key]) => /TOKEN|PASSWORD|SECRET|API_KEY/.test(key))
      .map(([, value]) => value);
    const cursorFile = join(dir, `${vendor}-${n}.cursor`);
    const since = new Date(start - 3_600_000).toISOString();
    const query = [
      ...(vendor === 'fujitsu' || vendor === 'informatica' ? ['--since', since] : []),
      ...(scenario.kind === undefined ? [] : (FILTER_FLAGS[vendor]?.(scenario.kind) ?? [])),
    ];
    // To the end. A pull resumed within a listing ends with that listing: Informatica's window, which its
    // first request pinned, or Tines' newest-first pass, which leaves events that arrive meanwhile to the
    // next pass (README): a second pull reads what came since. Whether a run's cursor was saved within a
    // listing is the timing's (a SIGKILL before or after its first page's save): every vendor drains twice.
    const drain: RunPlan = { stop: 'end', watch: false, at: 0, byTime: false, delayMs: 0, pageSize: scenario.runs[0]?.pageSize ?? 10, added: [] };
    const drains = [drain, drain];
    const delivered = new Set<string>();
    /** Ids written by earlier runs after their last saved cursor: the only ones a run may repeat. */
    let uncommitted = new Set<string>();
    /** The length of an event's line, as the last lines written had. */
    let lineLength = 600;
    /** Each run as it ended, for a scenario that fails only at its end. */
    const history: string[] = [];
    /** Events a reader that left took from the pipe, or left in it, after its saved cursor had passed them. */
    const dropped = new Set<string>();
    try {
      for (const [index, plan] of [...scenario.runs, ...drains].entries()) {
        const watching = plan.watch && (plan.stop === 'SIGINT' || plan.stop === 'SIGTERM');
        const args = [watching ? 'watch' : 'pull', vendor, ...query, '--page-size', String(plan.pageSize), '--cursor-file', cursorFile, ...(watching ? ['--interval', '1'] : [])];
        // What is still to come: the events not yet written and those written past the saved cursor.
        const toCome = emulated.visible(scenario.kind).filter((id) => !delivered.has(id)).length + uncommitted.size;
        const stopPlan: StopPlan = watching
          ? { stop: plan.stop, delayMs: 300 + plan.delayMs / 2 }
          : plan.byTime && plan.stop !== 'reader'
            ? { stop: plan.stop, delayMs: plan.delayMs }
            : plan.stop === 'reader'
              ? { stop: plan.stop, bytes: 1 + Math.floor((plan.at / 100) * toCome * lineLength) }
              : { stop: plan.stop, lines: Math.floor((plan.at / 100) * toCome) };
        const result = await runCli(main, args, env, stopPlan);
        const where = `${vendor} scenario ${n} run ${index} (${watching ? 'watch' : 'pull'}, ${plan.stop}${result.stopped ? '' : ', not reached'}): ${JSON.stringify(result.stderr)}`;
        for (const secret of secrets) expect(result.stderr, where).not.toContain(secret);
        history.push(`${where} ${result.lines.length} lines, exit ${result.status}`);
        const ids = result.lines.map((line) => parsedEvent(line, vendor).id);
        if (ids.length > 0) lineLength = result.lines.join('\n').length / ids.length;
        const summary = new RegExp(`^tributary: (\\d+) ${vendor} events( \\(interrupted\\))?(?:; cursor (\\S+))?\\n$`).exec(result.stderr);
        // How the run ended: the exit code, and how many of its lines its saved cursor covers.
        // `undefined`: a crash, or a reader that left; the vendor says which of its lines its saved cursor
        // has not passed. Not the last page's: a page at one instant may be larger than asked (Illumio).
        let committed: number | undefined;
        // A kill sent as the process exited by itself (`exitCode` not yet set) finds it gone: a whole run.
        const killedAfterExit = plan.stop === 'SIGKILL' && result.killedBy === null && result.status === 0;
        if (!result.stopped || plan.stop === 'end' || killedAfterExit) {
          expect({ status: result.status, summary: summary?.[0] }, where).toEqual({ status: 0, summary: expect.any(String) });
          expect(summary?.[2], where).toBeUndefined();
          committed = Number(summary?.[1]);
        } else if (plan.stop === 'SIGKILL' || (plan.stop !== 'reader' && result.status === SIGNAL_STATUS[plan.stop] && result.stderr === '')) {
          // A crash, or a signal that came before the command was listening for it: the shell's code.
          expect(result.status, where).toBe(SIGNAL_STATUS[plan.stop]);
          committed = undefined;
        } else if (plan.stop === 'reader') {
          expect(result.status, where).toBe(0);
          // Gone before the end: quiet. Gone once every page was written: a complete pull's status line.
          if (summary === null) expect(result.stderr, where).toBe('');
          committed = summary === null ? undefined : Number(summary[1]);
        } else {
          expect(summary, where).not.toBeNull();
          // A pull cut short says so in its code; a signal that came as it ended cut nothing short. A watch
          // ends by a signal, with 0.
          const interrupted = summary?.[2] !== undefined;
          // A signal that reaches a process already exiting (its handlers let go) ends it as the signal
          // does, whatever it wrote: the shell's code, after a complete pull's status line.
          const atExit = !interrupted && result.killedBy === plan.stop;
          expect(interrupted, where).toBe(!watching && result.status !== 0 && !atExit);
          expect(result.status, where).toBe(interrupted || atExit ? SIGNAL_STATUS[plan.stop] : 0);
          committed = Number(summary?.[1]);
        }
        if (committed !== undefined) expect(committed, where).toBeLessThanOrEqual(ids.length);
        const text = await readFile(cursorFile, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)));
        if (text !== undefined) expect(text, where).toMatch(/^[A-Za-z0-9_-]+\n?$/);
        const pull = ['pull', vendor, ...query, '--page-size', String(plan.pageSize), '--cursor-file'];
        const after = committed === undefined && text !== undefined ? await listedAfter(main, pull, env, text, `${cursorFile}.probe`, where) : undefined;
        if (summary?.[3] !== undefined) expect(text?.trim(), where).toBe(summary[3]);
        const repeated = ids.filter((id) => delivered.has(id));
        expect(repeated.filter((id) => !uncommitted.has(id)), where).toEqual([]);
        expect(new Set(ids).size, where).toBe(ids.length);
        for (const id of ids) delivered.add(id);
        // Those a run wrote past its saved cursor, and those it left to the next run to write again.
        if (ids.length > 0) uncommitted = new Set(committed !== undefined ? ids.slice(committed) : after === undefined ? ids : ids.filter((id) => after.has(id)));
        if (plan.stop === 'reader' && after !== undefined) {
          // A page is saved once it is handed to the operating system (README): a reader that leaves drops
          // the pages still in the pipe, which a busy machine lets the command write ahead of it. They are
          // the events its saved cursor has passed, which the pulls from it did not list.
          for (const id of emulated.visible(scenario.kind)) if (!delivered.has(id) && !after.has(id)) dropped.add(id);
          if (dropped.size > 0) history.push(`  dropped by the reader: ${dropped.size}`);
        }

        // Events arrive between runs: now, or at the instant of the newest while a tail re-reads it. Any
        // earlier would be an event listed late, beyond what the README promises for it.
        for (const burst of plan.added) {
          const again = burst.again && profiles[vendor].sameInstant && Date.now() - lastAt < SAME_INSTANT_MS;
          add(again ? lastAt : Date.now(), burst.count, burst.kind);
        }
      }
      const matching = emulated.visible(scenario.kind);
      expect(matching.filter((id) => !delivered.has(id) && !dropped.has(id)), `${vendor} scenario ${n}: events never written; runs:\n${history.join('\n')}`).toEqual([]);
      expect([...delivered].filter((id) => !matching.includes(id)), `${vendor} scenario ${n}: events the query does not match`).toEqual([]);
    } finally {
      await server.close();
    }
  }

  // Three scenarios of up to five runs of the command, each a process of its own: 20 to 50 s here, minutes
  // on a busy machine.
  for (const vendor of VENDOR_NAMES) {
    it(`${vendor}: every event written, repeats only past the saved cursor, the documented exit codes`, async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(scenarioOf(vendor), (scenario) => play(vendor, scenario, n++)),
        // Each scenario spawns the command several times: no shrinking, which would spawn it again and again.
        { seed: 20261206 + VENDOR_NAMES.indexOf(vendor), numRuns: 2, endOnFailure: true },
      );
    }, 180_000);
  }
});
