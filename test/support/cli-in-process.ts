/**
 * The `tributary` command run in this process (`run` of src/cli/main.ts), its output captured: for the
 * tests of what it writes and exits with; test/support/cli-process.ts runs it as a real process.
 */
import { PassThrough } from 'node:stream';
import { run } from '../../src/cli/main.js';

/** A stream that keeps what is written to it. */
export function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return { stream, text: () => chunks.join('') };
}

/** Runs the command with `argv` and `env`: its exit code, stdout and stderr. */
export async function cliInProcess(
  argv: string[],
  env: NodeJS.ProcessEnv,
  signal = new AbortController().signal,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = capture();
  const stderr = capture();
  const code = await run(argv, { stdout: stdout.stream, stderr: stderr.stream, env, signal });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
