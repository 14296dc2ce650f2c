import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startServer, type TestServer } from './helpers/server.js';

const script = fileURLToPath(new URL('./helpers/one-request.ts', import.meta.url));
let server: TestServer;
beforeAll(async () => {
  let flaky = 0;
  server = await startServer((req, res) => {
    if (req.url === '/flaky' && flaky++ === 0) json(res, 503, {});
    else json(res, 200, {});
  });
});
afterAll(() => server.close());

/** Runs the child; resolves with its output and how long it lived after printing "done". */
function run(mode: string): Promise<{ out: string; code: number | null; lingeredMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, server.url, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let doneAt: number | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (doneAt === undefined && out.includes('done')) doneAt = performance.now();
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    // A process kept alive by a limiter timer would run for a whole reservoir window (60 s).
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(killer);
      if (doneAt === undefined) reject(new Error(`child never finished: ${err}`));
      else resolve({ out, code, lingeredMs: performance.now() - doneAt });
    });
  });
}

describe('nothing keeps the process alive after the work is done', () => {
  it.each([
    ['one', '200'],
    ['retry', '200'],
    ['abort-queued', 'cancelled'],
  ])('mode %s exits by itself', async (mode, expected) => {
    const { out, code, lingeredMs } = await run(mode);
    expect(out.split('\n')[0]).toBe(expected);
    expect(code).toBe(0);
    // Short of the child being killed (15 s), beyond a loaded machine's stall of a second or two.
    expect(lingeredMs).toBeLessThan(10_000);
  });
});
