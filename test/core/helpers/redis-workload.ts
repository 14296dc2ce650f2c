/**
 * Run as a child process by redis-processes.property.test.ts: one process of several sharing one Illumio
 * API key's limit through Redis. It runs its phases of gets and listings, some aborted while they wait or
 * as their turn comes, may close its limiters in the middle of a phase and go on with new ones, then
 * reports what happened as one JSON line, closes its limiters and must exit by itself: it then says what
 * still keeps it alive (helpers/exit-holds.ts) as a line `holds <JSON>`, and as it exits, the timers set
 * meanwhile (`later <JSON>`).
 * argv: <workload JSON>
 */
import { scaledClock } from '../../../src/core/clock.js';
import { isTributaryError } from '../../../src/core/errors.js';
import { closeRateLimiters } from '../../../src/core/rate-limit.js';
import { illumio } from '../../../src/providers/illumio/index.js';
import { redisRateLimit } from '../../../src/redis/index.js';
import { followTimers, holds, timersSetFromNow } from './exit-holds.js';

export type WorkOp = { kind: 'get'; count: number; flood?: boolean } | { kind: 'list'; pageSize: number } | { kind: 'abort'; pageSize: number; at: number | 'turn' };

export interface ChildWorkload {
  proc: number;
  baseUrl: string;
  redisPort: number;
  scale: number;
  slotLease: number;
  connectTimeout: number;
  apiKey: string;
  apiSecret: string;
  rateLimit: { requests: number; interval: number; maxConcurrent: number };
  hrefs: string[];
  events: number;
  /** Each phase's ops run `parallel` at a time; `closeAfter`: ops of the phase begun before `closeRateLimiters()`. */
  phases: Array<{ parallel: number; ops: WorkOp[]; closeAfter?: number }>;
}

export interface ChildReport {
  completed: number;
  aborted: number;
  /** Ops rejected by a `closeRateLimiters()` of this process, run again afterwards. */
  closedThenRedone: number;
  errors: string[];
  /** The longest the event loop was held up (ms): a loaded machine can outlast a lease's renewal. */
  maxLag: number;
}

followTimers();
const work = JSON.parse(process.argv[2] ?? '{}') as ChildWorkload;
const clock = scaledClock(work.scale);
const shared = redisRateLimit({ clientOptions: { host: '127.0.0.1', port: work.redisPort }, slotLease: work.slotLease, connectTimeout: work.connectTimeout });
// Tells the emulator's front which process sent each request.
const tagged =
  (flood: boolean): typeof globalThis.fetch =>
  (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('x-process', String(work.proc));
    if (flood) headers.set('x-flood', '1');
    return fetch(input, { ...init, headers });
  };

function connect(signal?: AbortSignal, onQueuedTurn?: () => void, flood = false) {
  return illumio({
    baseUrl: work.baseUrl,
    orgId: 1,
    apiKey: work.apiKey,
    apiSecret: work.apiSecret,
    clock,
    fetch: tagged(flood),
    rateLimit: { ...work.rateLimit, shared },
    ...(signal ? { signal } : {}),
    ...(onQueuedTurn ? { hooks: { onRateLimit: (info: { cause: string }) => info.cause === 'queued' && onQueuedTurn() } } : {}),
  });
}

const report: ChildReport = { completed: 0, aborted: 0, closedThenRedone: 0, errors: [], maxLag: 0 };
let tick = performance.now();
const lag = setInterval(() => {
  const now = performance.now();
  report.maxLag = Math.max(report.maxLag, Math.round(now - tick - 50));
  tick = now;
}, 50);

async function run(op: WorkOp): Promise<'done' | 'closed'> {
  try {
    if (op.kind === 'get') {
      const api = connect(undefined, undefined, op.flood === true);
      const wanted = Array.from({ length: op.count }, (_, i) => work.hrefs[(i * 7 + op.count + work.proc) % work.hrefs.length]!);
      await Promise.all(wanted.map((href) => api.events.get(href)));
    } else if (op.kind === 'list') {
      const got = await connect().events.list({ pageSize: op.pageSize }).toArray();
      if (got.length !== work.events) throw new Error(`listed ${got.length} events of ${work.events}`);
    } else {
      const controller = new AbortController();
      const reason = new Error('stopped by the workload');
      const abort = () => controller.abort(reason);
      const api = connect(controller.signal, op.at === 'turn' ? abort : undefined);
      const timer = typeof op.at === 'number' ? setTimeout(abort, op.at) : undefined;
      try {
        const got = await api.events.list({ pageSize: op.pageSize }).toArray();
        if (got.length !== work.events) throw new Error(`listed ${got.length} events of ${work.events}`);
      } catch (error) {
        if (error !== reason) throw error;
        report.aborted += 1;
        return 'done';
      } finally {
        clearTimeout(timer);
      }
    }
    report.completed += 1;
    return 'done';
  } catch (error) {
    if (isTributaryError(error) && /closeRateLimiters\(\)/.test(error.message)) return 'closed';
    report.errors.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    return 'done';
  }
}

for (const phase of work.phases) {
  const queue = [...phase.ops];
  const redo: WorkOp[] = [];
  let begun = 0;
  let closing: Promise<void> | undefined;
  const lane = async (): Promise<void> => {
    for (let op = queue.shift(); op !== undefined; op = queue.shift()) {
      begun += 1;
      if (phase.closeAfter !== undefined && begun > phase.closeAfter && closing === undefined) {
        process.stderr.write(`closing at ${Date.now()}\n`);
        closing = closeRateLimiters().then(() => void process.stderr.write(`closed at ${Date.now()}\n`));
      }
      await closing;
      if ((await run(op)) === 'closed') redo.push(op);
    }
  };
  await Promise.all(Array.from({ length: phase.parallel }, lane));
  await closing;
  // Those the close rejected unsent go again, with the limiters built afresh.
  report.closedThenRedone += redo.length;
  for (const op of redo) if ((await run(op)) === 'closed') report.errors.push('rejected by a close that was over');
}

clearInterval(lag);
process.stdout.write(`${JSON.stringify(report)}\n`);
// The Redis connection is the one thing that would keep this process alive.
await closeRateLimiters();
process.stdout.write(`holds ${JSON.stringify(holds())}\n`);
const later = timersSetFromNow();
process.on('exit', () => process.stdout.write(`later ${JSON.stringify(later())}\n`));
