/**
 * A server in front of an emulator's that sends each answer's status and headers at once and its body
 * in two halves `pauseMs` apart: a client stopped then has its answer in hand and its body still to
 * read. A client that leaves ends the exchange with the emulator too.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { EmulatorServer } from '../../src/testing/types.js';
import { listenOnLoopback } from '../core/helpers/server.js';

/** Headers that describe the body as the emulator wrote it, which `fetch` has decoded already. */
const DECODED = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive']);

async function bodyOf(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return chunks.length === 0 ? undefined : Buffer.concat(chunks).toString();
}

export async function slowBodyProxy(upstream: string, pauseMs: number): Promise<EmulatorServer> {
  const server = createServer((request, response) => {
    const left = new AbortController();
    response.on('close', () => left.abort());
    void (async () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) if (name !== 'host' && typeof value === 'string') headers.set(name, value);
      const body = await bodyOf(request);
      const answer = await fetch(`${upstream}${request.url ?? '/'}`, {
        method: request.method ?? 'GET',
        headers,
        ...(body === undefined ? {} : { body }),
        redirect: 'manual',
        signal: left.signal,
      });
      const bytes = Buffer.from(await answer.arrayBuffer());
      const kept: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (!DECODED.has(name)) kept[name] = value;
      });
      response.writeHead(answer.status, { ...kept, 'content-length': String(bytes.length) });
      const half = Math.floor(bytes.length / 2);
      response.write(bytes.subarray(0, half));
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      if (!left.signal.aborted) response.end(bytes.subarray(half));
    })().catch(() => response.destroy());
  });
  return listenOnLoopback(server);
}
