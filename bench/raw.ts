/**
 * The baselines: the loop a user would write by hand against each vendor (request, parse, hand every
 * event over, follow the vendor's paging), over two transports. `fetch` + `res.json()` is the
 * hand-written loop the SDK is compared with; `node:http` + `JSON.parse` over one buffer is the lower
 * bound (no web streams, no `Response`); the same loop through ky shows what the HTTP library the SDK is
 * built on costs by itself (scenario 1c). None validates or normalizes anything.
 */
import { Agent, request as httpRequest } from 'node:http';
import { kySender } from '../src/core/ky-sender.js';

/** One request of a raw loop: a path with its query, relative to the server's base URL. */
export interface RawRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  /** JSON text of a POST body. */
  body?: string;
}

export interface RawAnswer {
  body: unknown;
  header(name: string): string | null;
}

/** How a vendor pages, as a hand-written loop follows it. */
export interface RawPlan {
  first(pageSize: number): RawRequest;
  /** The events of an answer, and the next request (`undefined` at the end). */
  step(answer: RawAnswer, request: RawRequest, pageSize: number): { events: unknown[]; next: RawRequest | undefined };
}

export type Transport = (baseUrl: string, request: RawRequest, signal?: AbortSignal) => Promise<RawAnswer>;

function failed(status: number, request: RawRequest): Error {
  return new Error(`${request.method} ${request.path} answered ${status}`);
}

/** `fetch` and `res.json()`: what a user writes. */
export const fetchTransport: Transport = async (baseUrl, request, signal) => {
  const res = await fetch(baseUrl + request.path, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
    ...(signal ? { signal } : {}),
  });
  if (!res.ok) throw failed(res.status, request);
  const body: unknown = await res.json();
  return { body, header: (name) => res.headers.get(name) };
};

/** ky called as the SDK's pipeline calls it; the body read and parsed as the fetch loop does. */
export function kyTransport(): Transport {
  // `fetch` looked up per call: scenario 1c wraps it to time every call.
  const send = kySender((input, init) => fetch(input, init));
  return async (baseUrl, request) => {
    const response = await send(baseUrl + request.path, { method: request.method, headers: request.headers, body: request.body });
    const body: unknown = await response.json();
    return { body, header: (name) => response.headers.get(name) };
  };
}

/** `node:http` with keep-alive, chunks joined once, one `JSON.parse`: the lower bound. */
export function httpTransport(): Transport {
  // One agent per transport, so that no socket outlives the scenario that opened it.
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  return (baseUrl, request, signal) =>
    new Promise<RawAnswer>((resolve, reject) => {
      const req = httpRequest(
        baseUrl + request.path,
        { method: request.method, headers: request.headers, agent, ...(signal ? { signal } : {}) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status < 200 || status >= 300) {
              reject(failed(status, request));
              return;
            }
            try {
              const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
              resolve({ body, header: (name) => String(res.headers[name.toLowerCase()] ?? '') || null });
            } catch (error) {
              reject(error as Error);
            }
          });
        },
      );
      req.on('error', reject);
      req.end(request.body);
    });
}

/** The pages of a raw listing, as arrays of the vendor's events. */
export async function* rawPages(
  transport: Transport,
  baseUrl: string,
  plan: RawPlan,
  pageSize: number,
  signal?: AbortSignal,
): AsyncGenerator<unknown[]> {
  let request: RawRequest | undefined = plan.first(pageSize);
  while (request !== undefined) {
    const answer = await transport(baseUrl, request, signal);
    const { events, next } = plan.step(answer, request, pageSize);
    yield events;
    request = next;
  }
}
