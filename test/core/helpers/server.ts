/**
 * A real HTTP server on 127.0.0.1 (port 0) for pipeline tests: each test scripts the answers and reads
 * back what arrived, with arrival times on the monotonic clock.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClientContext, type ClientContext } from '../../../src/core/client.js';
import type { ProviderName } from '../../../src/core/errors.js';
import type { CommonOptions } from '../../../src/core/options.js';
import type { Auth, ProviderDefaults } from '../../../src/core/request.js';

export interface Arrival {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** `performance.now()` when the request arrived. */
  at: number;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, arrival: Arrival, index: number) => void | Promise<void>;

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  arrivals: Arrival[];
  close(): Promise<void>;
}

export async function startServer(handler: Handler): Promise<TestServer> {
  const arrivals: Arrival[] = [];
  const server = createServer((req, res) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const arrival: Arrival = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at,
      };
      arrivals.push(arrival);
      Promise.resolve(handler(req, res, arrival, arrivals.length - 1)).catch((error: unknown) => {
        res.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
  });
  return { ...(await listenOnLoopback(server)), arrivals };
}

/** `server` listening on 127.0.0.1 at a free port; closing it ends the connections still open. */
export async function listenOnLoopback(server: Server): Promise<{ url: string; port: number; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

export const TOKEN = 'tok-9f8e7d6c5b4a3928';

/** A bearer-token auth whose key is unique per call, so tests never share a limiter by accident. */
export function bearer(token = TOKEN): Auth {
  return { key: `test-${Math.random().toString(36).slice(2)}`, headers: () => ({ authorization: `Bearer ${token}` }) };
}

export function client(
  baseUrl: string,
  options: Partial<CommonOptions> = {},
  auth: Auth = bearer(),
  defaults: ProviderDefaults = {},
  provider: ProviderName = 'tines',
): ClientContext {
  return createClientContext(provider, { baseUrl, ...options }, auth, defaults);
}

/** Rejection of `promise`, or a failure if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}
