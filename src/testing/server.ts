/**
 * The real-server adapter: a `node:http` server on 127.0.0.1 that serves an emulator over TCP, so the
 * SDK's whole stack (sockets, keep-alive, streaming, timeouts) is exercised. Response bodies are
 * streamed, and the network faults happen for real: a connection reset destroys the socket before any
 * byte is written, a truncated body ends the socket after part of a body whose full length was
 * announced.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { show, unknownKey } from '../core/config.js';
import { ConfigurationError } from '../core/errors.js';
import { isConnectionReset } from './network-error.js';
import { statusTextOf } from './responses.js';
import type { EmulatorHandler, EmulatorServer, ListenOptions } from './types.js';
import { failedRequestStart, MethodTail, PARSER_METHODS_BEYOND_HTTP } from './method-start.js';
import { parseUnknownMethod, writeAndClose } from './unknown-method.js';

/** What node answers a request its parser refuses, by the parser's error, and a 400 for any other. */
const REFUSALS: Readonly<Record<string, string>> = {
  HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: '413 Payload Too Large',
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
};

type ClientError = Error & { code?: string; rawPacket?: Buffer; bytesParsed?: number };

/** Node's own answer to a request its parser refuses, which a `clientError` listener takes over. */
function refuse(socket: Socket, status: string): void {
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent: boolean } | null })._httpMessage;
  // Not in the middle of another answer, which it would corrupt.
  if (socket.writable && inFlight?.headersSent !== true) socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
  socket.destroy();
}

/**
 * The origin the client addressed, from its `Host`, as a vendor builds its absolute links (Illumio's
 * `Location`, Tines' page links): reached as `localhost` or by a container's name, the server's own
 * `127.0.0.1` or `0.0.0.0` named another origin, which the client refuses to follow. A `Host` that is
 * not a bare host and port is not trusted.
 */
function addressedOrigin(host: string | undefined): string | undefined {
  if (host === undefined || /[\s/\\?#@]/.test(host) || !URL.canParse(`http://${host}`)) return undefined;
  return new URL(`http://${host}`).origin;
}

/** Methods fetch's `Request` refuses to carry, which a client may still send and a vendor answers 405. */
const UNCARRIED = new Set(['CONNECT', 'TRACE', 'TRACK']);

/** The request the emulator gets, from what came over the socket. */
function requestOf(method: string, url: string, rawHeaders: readonly string[], body: Uint8Array<ArrayBuffer> | null, origin: string, signal: AbortSignal): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) headers.append(rawHeaders[i] as string, rawHeaders[i + 1] as string);
  // A target of `//x/y` is a path: resolved against the origin, it would name the host `x`.
  const base = addressedOrigin(headers.get('host') ?? undefined) ?? origin;
  const target = url.startsWith('/') ? `${base}${url}` : new URL(url, base).href;
  if (!UNCARRIED.has(method.toUpperCase())) return new Request(target, { method, headers, body, signal });
  // Built as a POST, which carries any body, and named by its own method, which is all the emulator reads of it.
  return Object.defineProperty(new Request(target, { method: 'POST', headers, body, signal }), 'method', { value: method });
}

async function toRequest(req: IncomingMessage, origin: string, signal: AbortSignal): Promise<Request> {
  const method = req.method ?? 'GET';
  let body: Uint8Array<ArrayBuffer> | null = null;
  if (method !== 'GET' && method !== 'HEAD') {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    // No bytes is no body, as a request built in process without one has none.
    body = chunks.length === 0 ? null : new Uint8Array(Buffer.concat(chunks));
  }
  return requestOf(method, req.url ?? '/', req.rawHeaders, body, origin, signal);
}

function writeHead(res: ServerResponse, response: Response): void {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  // The in-process adapters give the same status text (`asAnswered`): none for a status without a reason phrase.
  res.writeHead(response.status, statusTextOf(response), headers);
}

/** Streams `response` into `res`; a body stream that fails (a truncate fault) destroys the socket. */
async function send(res: ServerResponse, response: Response, head: boolean): Promise<void> {
  writeHead(res, response);
  if (head || response.body === null) {
    res.end();
    return;
  }
  // Sent now, before the first byte of the body: a body that fails at once (a truncate fault that cuts
  // at 0) still reaches the client as headers, then a dropped connection, as in process.
  res.flushHeaders();
  const reader = response.body.getReader();
  try {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      if (!res.write(chunk.value)) {
        await new Promise<void>((resolve) => {
          res.once('drain', resolve);
          res.once('close', resolve);
        });
      }
      if (res.destroyed) {
        await reader.cancel();
        return;
      }
    }
    res.end();
  } catch {
    // Flush what was written, then close the connection mid-body as a failing upstream would; the
    // client sees fewer bytes than the announced Content-Length.
    res.socket?.end();
  }
}

/**
 * Resolves once `res` is on the wire or its connection is gone: the answer to a request pipelined
 * behind others waits in node until theirs are sent, after `end()`.
 */
function sent(res: ServerResponse): Promise<void> {
  if (res.writableFinished || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    res.once('finish', resolve);
    res.once('close', resolve);
  });
}

async function serve(emulator: EmulatorHandler, req: IncomingMessage, res: ServerResponse, origin: string): Promise<void> {
  // The emulator dates its answers by its own clock (`defineEmulator`); the machine's time would contradict it.
  res.sendDate = false;
  const aborter = new AbortController();
  // The client went away before the answer was complete: abort the emulator's work (latency sleeps).
  res.once('close', () => {
    if (!res.writableFinished) aborter.abort(new Error('client closed the connection'));
  });
  let response: Response;
  try {
    response = await emulator(await toRequest(req, origin, aborter.signal));
  } catch (error) {
    if (isConnectionReset(error)) {
      // A real reset: RST instead of FIN, before any byte of a response.
      req.socket.resetAndDestroy();
      return;
    }
    if (aborter.signal.aborted) return;
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`emulator failed: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  await send(res, response, req.method === 'HEAD');
}

/**
 * Serves `emulator` on a real port until `close()`.
 * @example
 * const server = await listen(emulator.handle);
 * const client = illumio({ baseUrl: server.url, ... });
 * await server.close();
 */
export async function listen(emulator: EmulatorHandler, options: ListenOptions = {}): Promise<EmulatorServer> {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigurationError(`options must be an object, got ${options === null ? 'null' : typeof options}`, { option: 'options' });
  }
  // A misspelt `prot` would leave the port to the system's choice, not the one meant.
  const unknown = unknownKey(options as Record<string, unknown>, ['port', 'host']);
  if (unknown !== undefined) throw new ConfigurationError(`${unknown} is not an option of listen(); expected port or host`, { option: unknown, reason: 'unknown' });
  // Only `undefined` takes the default: `null` is a value, refused as a client's options refuse it.
  const port = options.port === undefined ? 0 : options.port;
  const host = options.host === undefined ? '127.0.0.1' : options.host;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ConfigurationError(`port must be an integer in [0, 65535], got ${show(port)}`, { option: 'port' });
  }
  // Not an address to bind: refused here, with the option's name, rather than by `server.listen`.
  if (typeof host !== 'string' || host.trim() === '') {
    throw new ConfigurationError(`host must be a non-blank string, got ${typeof host === 'string' ? 'a blank one' : typeof host}`, { option: 'host' });
  }
  let origin = '';
  // Not an `import` of node:http: on Node 22 and later that evaluates the module's lazy exports
  // (`WebSocket` among them), which loads fetch's implementation, 45 ms of importing tributary/testing
  // on Node 24 for a test that never starts a server (bench/, scenario 5). A builtin read when the
  // first server starts costs 6 ms, and only then.
  const { createServer, METHODS } = process.getBuiltinModule('node:http');
  // Requests pipelined on one connection reach the emulator one at a time, in the order sent: RFC 9112
  // (§9.3.2) lets a server work on pipelined requests at once only when all are safe, and a GET sent
  // after a POST must see what the POST did (and `emulator.requests` list them as sent).
  const turns = new WeakMap<Socket, Promise<unknown>>();
  const server = createServer((req, res) => {
    const turn = Promise.allSettled([turns.get(req.socket)]).then(async () => {
      await serve(emulator, req, res, origin);
      await sent(res);
    });
    turns.set(req.socket, turn);
  });
  // A CONNECT asks for a tunnel, which no vendor's API is: a 400, as nginx answers it, where node with
  // no listener drops the connection unanswered (curl's `Empty reply from server`).
  server.on('connect', (_req: IncomingMessage, socket: Socket) => refuse(socket, '400 Bad Request'));
  // The bytes so far of a request of a method node's parser does not know, by its connection; `null`
  // once it is answered or refused.
  const unknownMethods = new WeakMap<Socket, Buffer | null>();
  const methods = [...METHODS, ...PARSER_METHODS_BEYOND_HTTP];
  const tails = new MethodTail();
  server.prependListener('connection', (socket: Socket) => {
    // node's parser reads a connection's bytes from its handle, out of sight, unless the handle is
    // taken: then it reads them from `data`, where each piece is noted first (method-start.ts).
    const handle = (socket as unknown as { _handle?: { _consumed?: boolean } })._handle;
    if (handle !== undefined) handle._consumed = true;
    socket.on('data', (piece: Buffer) => tails.note(socket, piece));
  });
  server.on('clientError', (error: ClientError, socket: Socket) => {
    const soFar = unknownMethods.get(socket);
    // Answered or refused: node's spent parser fails again on each byte that follows.
    if (soFar === null) return;
    if (error.code !== 'HPE_INVALID_METHOD' || error.rawPacket === undefined || !socket.writable) {
      unknownMethods.set(socket, null);
      return refuse(socket, REFUSALS[error.code ?? ''] ?? '400 Bad Request');
    }
    const bytes =
      soFar === undefined
        ? failedRequestStart(error.rawPacket, error.bytesParsed ?? 0, tails.before(socket), methods)
        : Buffer.concat([soFar, error.rawPacket]);
    const request = parseUnknownMethod(bytes);
    if (request === undefined) {
      unknownMethods.set(socket, null);
      return refuse(socket, REFUSALS[error.code ?? ''] ?? '400 Bad Request');
    }
    if (request === 'incomplete') return void unknownMethods.set(socket, bytes);
    unknownMethods.set(socket, null);
    const aborter = new AbortController();
    socket.once('close', () => aborter.abort(new Error('client closed the connection')));
    // After the answers to the requests pipelined before it, as node would have sent them.
    void Promise.allSettled([turns.get(socket)])
      .then(async () => {
        const body = request.body.length === 0 ? null : new Uint8Array(request.body);
        const response = await emulator(requestOf(request.method, request.target, request.rawHeaders, body, origin, aborter.signal));
        await writeAndClose(socket, response, statusTextOf(response));
      })
      .catch((failure: unknown) => {
        // A connection-reset fault is a real reset here too; any other failure of the emulator, its 500.
        if (isConnectionReset(failure)) return void socket.resetAndDestroy();
        if (socket.destroyed) return;
        const message = `emulator failed: ${failure instanceof Error ? failure.message : String(failure)}`;
        const body = Buffer.from(message);
        socket.end(`HTTP/1.1 500 Internal Server Error\r\ncontent-type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n${message}`);
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  let closing: Promise<void> | undefined;
  const address = server.address() as AddressInfo;
  const hostname = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `http://${hostname}:${address.port}`;
  return {
    url: origin,
    port: address.port,
    // Idempotent, as `afterEach` clean-ups expect: a second call waits for the first.
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets would hold `close` open until they time out.
        server.closeAllConnections();
      })),
  };
}
