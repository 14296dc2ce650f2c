/**
 * `tributary emulate` runs for as long as the tools it serves need it, days maybe, and nothing reads
 * the requests an emulator records (`emulator.requests`, for a test's assertions): its emulator keeps
 * none. Each was 2.5 KB (its headers, URL and body): a watch polling it every second grew the process
 * by 200 MB a day.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Emulator } from '../../src/testing/types.js';
import { capture, cliInProcess } from '../support/cli-in-process.js';
import { run } from '../../src/cli/main.js';

const made = vi.hoisted(() => [] as Array<Emulator<unknown>>);

vi.mock('../../src/testing/index.js', async (importOriginal) => {
  const testing = await importOriginal<typeof import('../../src/testing/index.js')>();
  return {
    ...testing,
    createEmulator: (...args: Parameters<typeof testing.createEmulator>) => {
      const emulator = testing.createEmulator(...args);
      made.push(emulator as Emulator<unknown>);
      return emulator;
    },
  };
});

describe('tributary emulate', () => {
  it('keeps none of the requests it answers', async () => {
    const controller = new AbortController();
    const stdout = capture();
    const pending = run(['emulate', 'tines', '--events', '3'], { stdout: stdout.stream, stderr: capture().stream, env: {}, signal: controller.signal });
    while (!stdout.text().includes('\n')) await new Promise((resolve) => setTimeout(resolve, 10));
    const announced = JSON.parse(stdout.text()) as { env: NodeJS.ProcessEnv };
    for (let pull = 0; pull < 3; pull++) expect((await cliInProcess(['pull', 'tines'], announced.env)).stdout.trim().split('\n')).toHaveLength(3);
    controller.abort();
    expect(await pending).toBe(0);
    expect(made).toHaveLength(1);
    expect(made[0]?.requests).toHaveLength(0);
  });
});
