/**
 * `--since` and `--until` without a zone, and a date alone, are UTC (README), whatever the zone of the
 * machine the command runs on: read in its zone, in Chatham (+13:45) the window would move by most of
 * a day and list other events. What the command writes holds no local time and no localized text, so
 * a run in another zone and locale (Turkish, whose dotted and dotless i break case mappings made in
 * it) writes the same bytes. The command runs as a process of its own, each in the zone and locale of
 * its environment, as V8 takes them at its start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEnv, tinesEmulator } from '../../src/providers/tines/emulator.js';
import type { EmulatorServer } from '../../src/testing/types.js';
import { cliWorkspace, runCli } from '../support/cli-process.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const UTC_C = { TZ: 'UTC', LANG: 'C', LC_ALL: 'C' };
const CHATHAM_TR = { TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' };

describe('tributary --since and --until in any time zone and locale', () => {
  const workspace = cliWorkspace('tributary-time-zone-');
  // Three days back from today's UTC midnight, within the tenant's year of retention whenever this runs.
  const base = Math.floor(Date.now() / DAY) * DAY - 3 * DAY;
  const emulator = tinesEmulator.create({ events: 0, seed: 9 });
  for (let k = 0; k <= 8; k++) emulator.store.emit({ createdAt: base + k * 6 * HOUR });
  const zoneless = new Date(base + 12 * HOUR).toISOString().slice(0, 19);
  const dateOnly = new Date(base + 2 * DAY).toISOString().slice(0, 10);
  let server: EmulatorServer;
  beforeAll(async () => {
    server = await emulator.listen();
  });
  afterAll(async () => {
    await server.close();
  });

  const pull = (since: string, until: string, env: Record<string, string>) =>
    runCli(workspace.main, ['pull', 'tines', '--since', since, '--until', until], { ...demoEnv(server.url), ...env }, { stop: 'end' });

  it('reads a time without a zone and a date alone as UTC, and writes the same bytes in Chatham under a Turkish locale', async () => {
    const explicit = await pull(`${zoneless}Z`, `${dateOnly}T00:00:00Z`, UTC_C);
    expect(explicit.status).toBe(0);
    const times = explicit.lines.map((line) => Date.parse((JSON.parse(line) as { time: string }).time));
    // The window holds some of the events and leaves out those a 13:45 shift would take in.
    expect(times.length).toBeGreaterThan(0);
    expect(times.every((time) => time >= base + 12 * HOUR && time <= base + 2 * DAY)).toBe(true);

    const inUtc = await pull(zoneless, dateOnly, UTC_C);
    const inChatham = await pull(zoneless, dateOnly, CHATHAM_TR);
    expect(inUtc.lines).toEqual(explicit.lines);
    // The cursor holds the wall-clock time of its last delivery: the rest of the status line is the same.
    const status = (run: typeof inUtc) => ({ status: run.status, lines: run.lines, stderr: run.stderr.replace(/cursor \S+/, 'cursor') });
    expect(status(inChatham)).toEqual(status(inUtc));
  });
});
