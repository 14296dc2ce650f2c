/**
 * The HTTP side of the benchmark server: a `node:http` server in front of an emulator's handler that
 * keeps every answer the first time it is computed and serves the kept bytes afterwards (the pages are
 * precomputed by the warm-up pass), holds answers back by a configurable latency, and checks an
 * optional rate limit on every request, cached or not.
 */
import { createServer, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../src/core/clock.js';
import { createWindowLimiter, type WindowLimiter } from '../../src/testing/window-limiter.js';
import type { EmulatorHandler } from '../../src/testing/types.js';
import type { ServerRateLimit, ServerStats } from './protocol.js';

interface KeptAnswer {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

export interface PageServer {
  readonly url: string;
  configure(latencyMs: number, rateLimit: ServerRateLimit | false): void;
  stats(reset: boolean): ServerStats;
  close(): Promise<void>;
}

const emptyStats = (): ServerStats => ({ requests: 0, computed: 0, rateLimited: 0, maxInFlight: 0, bytes: 0 });

async function readRequestBody(req: IncomingMessage): Promise<Buffer | undefined> {
  if (req.method === 'GET' || req.method === 'HEAD') return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function compute(handler: EmulatorHandler, req: IncomingMessage, origin: string, body: Buffer | undefined): Promise<KeptAnswer> {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
  const response = await handler(
    new Request(new URL(req.url ?? '/', origin), { method: req.method ?? 'GET', headers, ...(body ? { body: new Uint8Array(body) } : {}) }),
  );
  const bytes = Buffer.from(await response.arrayBuffer());
  const out: OutgoingHttpHeaders = {};
  response.headers.forEach((value, name) => {
    if (name !== 'content-length' && name !== 'transfer-encoding') out[name] = value;
  });
  out['content-length'] = bytes.byteLength;
  return { status: response.status, headers: out, body: bytes };
}

/**
 * Serves `handler` on 127.0.0.1. With `cache`, a successful answer is kept under its method, URL and
 * body (credentials are not part of the key: every contestant sends valid ones).
 */
export async function startPageServer(handler: EmulatorHandler, clock: Clock, cache: boolean): Promise<PageServer> {
  const kept = new Map<string, KeptAnswer>();
  let stats = emptyStats();
  let inFlight = 0;
  let latencyMs = 0;
  let limiter: WindowLimiter | undefined;
  let origin = '';

  const server = createServer((req, res) => {
    stats.requests += 1;
    inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
    res.once('close', () => (inFlight -= 1));
    void (async () => {
      const body = await readRequestBody(req);
      const verdict = limiter?.check('client');
      let answer: KeptAnswer;
      if (verdict !== undefined && !verdict.ok) {
        stats.rateLimited += 1;
        const text = Buffer.from('{"error":"Too many requests"}');
        answer = {
          status: 429,
          headers: { 'content-type': 'application/json', 'retry-after': String(verdict.retryAfterSeconds), 'content-length': text.byteLength },
          body: text,
        };
      } else {
        const key = `${req.method ?? 'GET'} ${req.url ?? '/'} ${body?.toString('utf8') ?? ''}`;
        const found = cache ? kept.get(key) : undefined;
        if (found) {
          answer = found;
        } else {
          stats.computed += 1;
          answer = await compute(handler, req, origin, body);
          if (cache && answer.status < 300) kept.set(key, answer);
        }
      }
      if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
      stats.bytes += answer.body.byteLength;
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    })().catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`benchmark server failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  // Keep-alive for as long as a contestant may pause between rounds (measuring, collecting garbage).
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    configure(latency, rateLimit) {
      latencyMs = latency;
      limiter = rateLimit === false ? undefined : createWindowLimiter({ ...rateLimit, clock });
    },
    stats(reset) {
      const current = stats;
      if (reset) stats = emptyStats();
      return current;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
