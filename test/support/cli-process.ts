/**
 * The `tributary` command as a real process, for the properties that stop it the ways a shell does: bundled
 * as the package ships it, run with its stdout read by the test, and stopped by a signal, by its reader
 * leaving (`| head -c N`), or not at all.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, constants, openSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { emulatedVendor, type EmulatedVendor, type VendorName } from './emulated-vendors.js';

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;

/**
 * The command bundled as the package ships it (tsup.config.ts): a run then starts in a tenth of the
 * time it takes through tsx, which makes the many runs of these scenarios affordable.
 */
async function bundledCli(outdir: string): Promise<string> {
  await build({
    entryPoints: [MAIN],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['msw', 'msw/node', 'ioredis', 'redis'],
    logLevel: 'warning',
  });
  return join(outdir, 'main.js');
}

/** Where a file's scenarios run: a temporary folder for their cursor files, and the command bundled in it. */
export interface CliWorkspace {
  readonly dir: string;
  readonly main: string;
}

/** Made before the file's tests and removed after them; read its fields within a test. */
export function cliWorkspace(prefix: string): CliWorkspace {
  const made = { dir: '', main: '' };
  beforeAll(async () => {
    made.dir = await mkdtemp(join(tmpdir(), prefix));
    made.main = await bundledCli(join(made.dir, 'cli'));
  });
  afterAll(() => rm(made.dir, { recursive: true, force: true }));
  return made;
}

/** A vendor's emulator on the wall clock, as the command's is: the tails' minute is real time. */
export function wallClockVendor(vendor: VendorName): EmulatedVendor {
  const time = {
    get now() {
      return Date.now();
    },
    set now(_ignored: number) {},
    skew: 0,
  };
  return emulatedVendor(vendor, { time, vendor: systemClock, client: systemClock });
}

/** The shell's status for a process a signal ended: 128 + its number. */
export const SIGNAL_STATUS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 129, SIGINT: 130, SIGKILL: 137, SIGTERM: 143 };

/** How a run ends: by itself, by a signal, or by its reader leaving. */
export type Stop = 'end' | 'SIGHUP' | 'SIGINT' | 'SIGTERM' | 'SIGKILL' | 'reader';

/**
 * When a run is stopped: once `lines` lines are out, `bytes` bytes taken by the reader, `delayMs` after
 * its start, once `until` holds of what the reader has taken, or once `after` settles, whichever comes
 * first. `output` is what its stdout is: a socket, as a Node parent hands its child (the default), or a
 * pipe, as a shell's `|` makes.
 */
export interface StopPlan {
  stop: Stop;
  lines?: number;
  bytes?: number;
  delayMs?: number;
  until?: (stdout: string) => boolean;
  after?: Promise<unknown>;
  output?: 'socket' | 'pipe';
}

/** One run of the command, as its reader and the shell saw it. */
export interface RunResult {
  /** The complete lines the reader took in. */
  lines: string[];
  stderr: string;
  /** The shell's `$?`: the exit code, or 128 + the signal that ended it. */
  status: number;
  /** The signal that ended the process (it did not exit by itself), if one did. */
  killedBy: NodeJS.Signals | null;
  /** Whether the stop planned was made while the command ran. */
  stopped: boolean;
  /** Milliseconds from the stop to the exit, when the stop was made. */
  afterStopMs: number | undefined;
}

/**
 * Runs `command` to its exit with stdout where `stdout` says (a descriptor, `'ignore'`): its status and
 * what it wrote to stderr. One that does not end within 15 s is killed, failing its test, not the suite.
 */
export async function exitAndStderr(command: string, args: readonly string[], options: { env: Record<string, string>; stdout: number | 'ignore'; cwd?: string }): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(command, args, {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', options.stdout, 'pipe'],
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [status] = (await once(child, 'exit')) as [number | null];
  clearTimeout(killer);
  return { status, stderr };
}

/** Runs the command with its stdout read by this process, stopped as `plan` says. */
export async function runCli(main: string, args: string[], env: Record<string, string>, plan: StopPlan): Promise<RunResult> {
  // A reader gone at once leaves before the command starts, not a turn of this loop later: a loaded
  // machine can stretch that turn past the command's first look at its stdout.
  const atOnce = plan.delayMs === 0 && plan.stop === 'reader';
  const pipe = plan.output === 'pipe' ? await namedPipe() : undefined;
  // A pipe's reader gone at once has closed it before the command was even started (`| true` done first).
  if (atOnce) pipe?.reader.destroy();
  const child = spawn(process.execPath, [main, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', pipe?.writer ?? 'pipe', 'pipe'] });
  if (pipe !== undefined) closeSync(pipe.writer);
  const reader: Readable = pipe?.reader ?? child.stdout!;
  // A command that never ends fails its scenario instead of holding the suite.
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let stdout = '';
  let stopped = atOnce && pipe !== undefined;
  let stoppedAt = Date.now();
  const stop = () => {
    if (stopped || child.exitCode !== null || child.signalCode !== null) return;
    stopped = true;
    stoppedAt = Date.now();
    if (plan.stop === 'reader') reader.destroy();
    else if (plan.stop !== 'end') child.kill(plan.stop);
  };
  if (atOnce) stop();
  const timer = plan.delayMs === undefined || atOnce ? undefined : setTimeout(stop, plan.delayMs);
  void plan.after?.then(stop, stop);
  reader.on('data', (chunk: Buffer) => {
    if (stopped && plan.stop === 'reader') return;
    stdout += chunk.toString();
    if (stdout.length >= (plan.bytes ?? Infinity) || stdout.split('\n').length > (plan.lines ?? Infinity) || plan.until?.(stdout) === true) stop();
  });
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  const exitedAt = Date.now();
  clearTimeout(killer);
  clearTimeout(timer);
  if (!reader.destroyed) await once(reader, 'close');
  if (pipe !== undefined) await rm(pipe.folder, { recursive: true, force: true });
  return {
    // A line cut off by a crash or by the reader leaving is not delivered.
    lines: stdout.split('\n').slice(0, -1),
    stderr,
    status: code ?? SIGNAL_STATUS[signal as NodeJS.Signals] ?? -1,
    killedBy: signal,
    stopped,
    afterStopMs: stopped ? exitedAt - stoppedAt : undefined,
  };
}

/**
 * A named pipe (a FIFO, as `|` makes, where Node's `stdio: 'pipe'` makes a socket pair): the end the
 * command writes, and the test's reader of the other end, open before the writer is, as a FIFO needs.
 */
async function namedPipe(): Promise<{ folder: string; writer: number; reader: Socket }> {
  const folder = await mkdtemp(join(tmpdir(), 'tributary-fifo-'));
  const path = join(folder, 'stdout');
  execFileSync('mkfifo', [path]);
  const reader = new Socket({ fd: openSync(path, constants.O_RDONLY | constants.O_NONBLOCK), readable: true, writable: false });
  return { folder, writer: openSync(path, constants.O_WRONLY), reader };
}

/** The documented shape of a tributary event, as a line of stdout. */
export function parsedEvent(line: string, provider: string): { id: string } {
  const event = JSON.parse(line) as Record<string, unknown>;
  expect(event).toMatchObject({ provider, id: expect.any(String), type: expect.any(String), source: expect.any(String), data: expect.any(Object) });
  expect(event['time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  expect(event).toHaveProperty('raw');
  return event as { id: string };
}

/**
 * The ids of the events listed after a saved cursor (`text`): two pulls from a copy of it at `probe`
 * (a pull resumed within a Tines pass or an Informatica window ends with it) list them all. `pull` is
 * the command up to its `--cursor-file`, whose value this adds.
 */
export async function listedAfter(main: string, pull: readonly string[], env: Record<string, string>, text: string, probe: string, where: string): Promise<Set<string>> {
  await writeFile(probe, text);
  const provider = pull[1] as string;
  const after = new Set<string>();
  for (let pass = 0; pass < 2; pass++) {
    const listed = await runCli(main, [...pull, probe], env, { stop: 'end' });
    expect(listed.status, `${where}: a pull from its cursor: ${listed.stderr}`).toBe(0);
    for (const line of listed.lines) after.add(parsedEvent(line, provider).id);
  }
  return after;
}
