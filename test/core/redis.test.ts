import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startServer, type TestServer } from './helpers/server.js';

function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const available = hasRedisServer();
const child = fileURLToPath(new URL('./helpers/redis-child.ts', import.meta.url));
const port = 20_000 + Math.floor(Math.random() * 20_000);
let redis: ChildProcess | undefined;
let server: TestServer;

beforeAll(async () => {
  server = await startServer((_req, res) => json(res, 200, {}));
  if (!available) return;
  redis = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  // Wait until it accepts connections.
  const { Socket } = await import('node:net');
  for (let i = 0; i < 100; i += 1) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('redis-server did not start');
});

afterAll(async () => {
  redis?.kill();
  await server.close();
});

/**
 * Informatica's 5 a minute on a clock 20 times faster: a 3 s window, long beside the time the two
 * children take to start apart from each other and to connect.
 */
const SCALE = 0.05;
const WINDOW_MS = 60_000 * SCALE;

function runChild(requests: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const argv = ['--import', 'tsx', child, server.url, String(port), String(requests), String(SCALE)];
    const p = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => {
      p.kill();
      reject(new Error('child did not exit by itself after closeRateLimiters()'));
    }, 10_000 + WINDOW_MS);
    p.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`child exited ${code}: ${err}`));
    });
  });
}

describe.skipIf(!available)('rate limit shared through Redis', () => {
  it('two processes with the same key share one reservoir', async () => {
    await Promise.all([runChild(5), runChild(5)]);
    const at = server.arrivals.map((a) => a.at).sort((a, b) => a - b);
    expect(at).toHaveLength(10);
    // One reservoir of 5 per window for both: the second five wait for its refill. bottleneck refills
    // at fixed instants from when the limiter was made, a little before the first request could leave,
    // so the refill comes up to that much less than a window after the first arrival: two thirds of a
    // window leave room for it (a 300 ms window left 50 ms, and failed one run in eight). Two separate
    // limiters would let all ten through as soon as each child is up.
    const firstWindow = at.filter((t) => t - at[0]! < (WINDOW_MS * 2) / 3);
    expect(firstWindow.length).toBeLessThanOrEqual(5);
    expect(at[9]! - at[0]!).toBeGreaterThanOrEqual((WINDOW_MS * 2) / 3);
  });
});
