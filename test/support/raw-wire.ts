/**
 * A server on 127.0.0.1 that speaks HTTP/1.1 by hand over `node:net`, so that it can answer what
 * `node:http` never writes: lengths that lie, chunks that break, headers cut or never finished, bodies
 * that trickle, compressed bodies that are corrupt, mislabelled or bombs, informational answers,
 * HTTP/1.0, redirects away, and lines that are not HTTP at all. The valid answer to each request comes
 * from an emulator; the way it is written is the next entry of a script (`valid` once it runs out).
 * Every connection is closed after its answer, so a broken answer never leaks into the next one.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { brotliCompressSync, constants, deflateSync, gzipSync } from 'node:zlib';
import type { EmulatorHandler } from '../../src/testing/types.js';

export const ENCODINGS = ['gzip', 'deflate', 'br'] as const;
export type Encoding = (typeof ENCODINGS)[number];
export const FRAMINGS = ['length', 'chunked', 'close'] as const;
export type Framing = (typeof FRAMINGS)[number];

/** How one request is answered. `n` varies a fault's sizes and cut points. */
export type WireFault =
  | { kind: 'valid'; framing: Framing; encoding?: Encoding | undefined }
  | { kind: 'http10' }
  | { kind: 'informational'; status: 100 | 102 | 103 }
  | { kind: 'length-short'; n: number }
  | { kind: 'length-long'; n: number }
  | { kind: 'chunk-malformed' }
  | { kind: 'chunk-truncated'; n: number }
  | { kind: 'close-before' }
  | { kind: 'close-mid-headers'; n: number }
  | { kind: 'close-mid-body'; n: number }
  | { kind: 'headers-unfinished' }
  | { kind: 'silent' }
  | { kind: 'trickle' }
  | { kind: 'corrupt'; encoding: Encoding; n: number }
  | { kind: 'mislabelled'; encoding: Encoding }
  | { kind: 'bomb'; encoding: Encoding; framing: Framing }
  | { kind: 'huge-header'; n: number }
  | { kind: 'redirect-foreign' }
  | { kind: 'not-http' }
  | { kind: 'status'; status: 404 | 503; body: 'page' | 'bomb' | 'trickle' }
  | { kind: 'bad-framing'; form: 'two-lengths' | 'length-and-chunked' | 'length-not-a-number' | 'status-not-a-number' | 'nul-in-header' };

/** Whether a `chunk-truncated` answer leaves out `Connection: close`. */
const keptAlive = (n: number): boolean => n % 2 === 0;

export interface Arrival {
  /** The request target (path and query), and the body of a POST: a retry asks the same again. */
  target: string;
  fault: WireFault;
}

export interface RawWire {
  readonly url: string;
  /** Answers of the requests to come, in order; `valid` once it runs out. */
  script: WireFault[];
  readonly arrivals: Arrival[];
  /** Connections the foreign origin of `redirect-foreign` received: a credential sent away. */
  foreignConnections(): number;
  /** Ends every open connection (those a fault keeps silent included). */
  hangUp(): void;
  close(): Promise<void>;
}

/** Decompressed, far beyond any `maxResponseSize` the property sets; compressed, a few hundred KB. */
export const BOMB_SIZE = 64 * 1024 * 1024;

export type Bombs = Readonly<Record<Encoding, Buffer>>;

/**
 * The bombs, built before any request: compressing takes longer than a small timeout, and a bomb built
 * while the client waits would be a stall. The fastest levels: a few hundred KB each.
 */
export function buildBombs(): Bombs {
  const zeros = Buffer.alloc(BOMB_SIZE);
  return {
    gzip: gzipSync(zeros, { level: 1 }),
    deflate: deflateSync(zeros, { level: 1 }),
    br: brotliCompressSync(zeros, { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } }),
  };
}

function compress(body: Buffer, encoding: Encoding): Buffer {
  if (encoding === 'gzip') return gzipSync(body);
  if (encoding === 'deflate') return deflateSync(body);
  return brotliCompressSync(body);
}

interface Parsed {
  method: string;
  target: string;
  headers: Array<[string, string]>;
  body: Buffer;
}

/** One request from the front of `data`, or `undefined` while it is incomplete. */
function parseRequest(data: Buffer): Parsed | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [line = '', ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
  const [method = 'GET', target = '/'] = line.split(' ');
  const headers = lines.map((header): [string, string] => {
    const colon = header.indexOf(':');
    return [header.slice(0, colon).trim(), header.slice(colon + 1).trim()];
  });
  const length = Number(headers.find(([name]) => name.toLowerCase() === 'content-length')?.[1] ?? 0);
  if (data.length < end + 4 + length) return undefined;
  return { method, target, headers, body: data.subarray(end + 4, end + 4 + length) };
}

const HOP_BY_HOP = new Set(['content-length', 'transfer-encoding', 'content-encoding', 'connection', 'keep-alive']);

function chunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < body.length; at += 97) {
    const piece = body.subarray(at, at + 97);
    parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

export async function startRawWire(handle: EmulatorHandler, origin: string, bombs: Bombs): Promise<RawWire> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const arrivals: Arrival[] = [];
  let foreign = 0;

  const foreignServer = createServer((socket) => {
    foreign += 1;
    socket.destroy();
  });
  await listenOn(foreignServer);
  const foreignOrigin = `http://127.0.0.1:${(foreignServer.address() as { port: number }).port}`;

  const wire: RawWire = {
    url: '',
    script: [],
    arrivals,
    foreignConnections: () => foreign,
    hangUp() {
      for (const timer of timers) clearInterval(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
    },
    async close() {
      wire.hangUp();
      await Promise.all([closeServer(server), closeServer(foreignServer)]);
    },
  };

  async function answer(socket: Socket, request: Parsed): Promise<void> {
    const fault = wire.script.shift() ?? { kind: 'valid', framing: 'length' };
    arrivals.push({ target: request.body.length === 0 ? request.target : `${request.target} ${request.body.toString('utf8')}`, fault });
    if (fault.kind === 'close-before') return void socket.destroy();
    if (fault.kind === 'silent') return;
    if (fault.kind === 'not-http') return void socket.end('SSH-2.0-OpenSSH_9.6\r\n');
    if (fault.kind === 'headers-unfinished') return void socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Request-Id: slow');
    if (fault.kind === 'redirect-foreign') {
      return void socket.end(`HTTP/1.1 302 Found\r\nLocation: ${foreignOrigin}${request.target}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    }
    const method = request.method;
    const response = await handle(
      new Request(`${origin}${request.target}`, {
        method,
        headers: request.headers,
        ...(method === 'GET' || method === 'HEAD' ? {} : { body: new Uint8Array(request.body) }),
      }),
    );
    const plain = Buffer.from(await response.arrayBuffer());
    const status = fault.kind === 'status' ? fault.status : response.status;
    const trickle = (line: string): void => {
      socket.write(head(line, [`Content-Length: ${plain.length}`]));
      let at = 0;
      const timer = setInterval(() => {
        if (socket.destroyed || at >= plain.length) {
          clearInterval(timer);
          timers.delete(timer);
          return;
        }
        socket.write(plain.subarray(at, (at += 1)));
      }, 40);
      timers.add(timer);
    };
    // A server that echoes the request's credentials where the client quotes it: the reason phrase of
    // an error status and the request id of an error or of a body that does not decode.
    const echo = request.headers
      .filter(([name]) => /^(?:authorization|x-auth-token|x-user-token)$/i.test(name))
      .map(([, value]) => value)
      .join(' ');
    const statusText = fault.kind === 'status' ? `${status === 404 ? 'Not Found' : 'Service Unavailable'} ${echo}`.trim() : response.statusText || 'OK';
    const echoed = echo === '' ? [] : [`X-Request-Id: ${echo}`, `X-Openstack-Request-Id: ${echo}`];
    const headers: string[] = [];
    response.headers.forEach((value, name) => {
      if (!HOP_BY_HOP.has(name)) headers.push(`${name}: ${value}`);
    });
    headers.push('Connection: close');
    const statusLine = `HTTP/1.1 ${status} ${statusText}`;
    const head = (line: string, extra: string[]): string => `${line}\r\n${[...headers, ...extra].join('\r\n')}\r\n\r\n`;
    const send = (line: string, extra: string[], body: Buffer, framing: Framing): void => {
      if (framing === 'length') socket.end(Buffer.concat([Buffer.from(head(line, [...extra, `Content-Length: ${body.length}`])), body]));
      else if (framing === 'chunked') socket.end(Buffer.concat([Buffer.from(head(line, [...extra, 'Transfer-Encoding: chunked'])), chunked(body)]));
      else socket.end(Buffer.concat([Buffer.from(head(line, extra)), body]));
    };
    const cut = (n: number, length: number): number => 1 + (n % Math.max(1, length - 1));
    switch (fault.kind) {
      case 'valid':
        if (fault.encoding !== undefined) return send(statusLine, [`Content-Encoding: ${fault.encoding}`], compress(plain, fault.encoding), fault.framing);
        return send(statusLine, [], plain, fault.framing);
      case 'status':
        if (fault.body === 'trickle') return trickle(statusLine);
        if (fault.body === 'bomb') return send(statusLine, ['Content-Encoding: gzip'], bombs.gzip, 'chunked');
        return send(statusLine, echoed, plain, 'length');
      case 'bad-framing': {
        const body = Buffer.from(plain);
        if (fault.form === 'two-lengths') return void socket.end(Buffer.concat([Buffer.from(head(statusLine, [`Content-Length: ${body.length}`, `Content-Length: ${body.length + 7}`])), body]));
        if (fault.form === 'length-and-chunked') {
          return void socket.end(Buffer.concat([Buffer.from(head(statusLine, [`Content-Length: ${body.length}`, 'Transfer-Encoding: chunked'])), chunked(body)]));
        }
        if (fault.form === 'length-not-a-number') return void socket.end(Buffer.concat([Buffer.from(head(statusLine, ['Content-Length: 12ab'])), body]));
        if (fault.form === 'status-not-a-number') return send('HTTP/1.1 2x0 OK', [], body, 'length');
        return send(statusLine, ['X-Request-Id: a\u0000b'], body, 'length');
      }
      case 'http10':
        return send(`HTTP/1.0 ${status} ${statusText}`, [], plain, 'close');
      case 'informational':
        socket.write(
          fault.status === 103
            ? 'HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n'
            : `HTTP/1.1 ${fault.status} ${fault.status === 100 ? 'Continue' : 'Processing'}\r\n\r\n`,
        );
        return send(statusLine, [], plain, 'length');
      case 'length-short':
        return void socket.end(Buffer.concat([Buffer.from(head(statusLine, [`Content-Length: ${plain.length - cut(fault.n, plain.length)}`])), plain]));
      case 'length-long':
        return void socket.end(Buffer.concat([Buffer.from(head(statusLine, [`Content-Length: ${plain.length + 1 + (fault.n % 4096)}`])), plain]));
      case 'chunk-malformed':
        return void socket.end(Buffer.concat([Buffer.from(head(statusLine, ['Transfer-Encoding: chunked'])), Buffer.from('zz\r\n'), plain, Buffer.from('\r\n0\r\n\r\n')]));
      case 'chunk-truncated': {
        const framed = chunked(plain);
        // Cut inside the last data chunk. Of an answer that said `Connection: close`, Node 20's undici
        // takes what came before the close as the whole body (client-h1.js, onHttpSocketEnd), and the
        // client finds its JSON ending early. Kept alive, the close is the network failure it is.
        const cutShort = framed.subarray(0, framed.length - 8 - (fault.n % 16));
        const start = head(statusLine, ['Transfer-Encoding: chunked']);
        return void socket.end(Buffer.concat([Buffer.from(keptAlive(fault.n) ? start.replace('Connection: close\r\n', '') : start), cutShort]));
      }
      case 'close-mid-headers': {
        const whole = head(statusLine, [`Content-Length: ${plain.length}`]);
        return void socket.end(whole.slice(0, cut(fault.n, whole.length - 4)));
      }
      case 'close-mid-body':
        return void socket.end(Buffer.concat([Buffer.from(head(statusLine, [`Content-Length: ${plain.length}`])), plain.subarray(0, cut(fault.n, plain.length))]));
      case 'trickle':
        return trickle(statusLine);
      case 'corrupt': {
        const packed = Buffer.from(compress(plain, fault.encoding));
        // Brotli carries no check of what it decodes: a flipped byte can decode to another valid page,
        // so its stream is cut short instead. gzip and deflate check theirs (CRC-32, Adler-32): a
        // flipped byte past the header breaks the stream or its check.
        if (fault.encoding === 'br') return send(statusLine, ['Content-Encoding: br'], packed.subarray(0, cut(fault.n, packed.length)), 'length');
        const at = Math.min(packed.length - 1, 10 + (fault.n % Math.max(1, packed.length - 10)));
        packed[at] = (packed[at] as number) ^ 0x5a;
        return send(statusLine, [`Content-Encoding: ${fault.encoding}`], packed, 'length');
      }
      case 'mislabelled':
        return send(statusLine, [`Content-Encoding: ${fault.encoding}`, ...echoed], plain, 'length');
      case 'bomb':
        return send(statusLine, [`Content-Encoding: ${fault.encoding}`], bombs[fault.encoding], fault.framing);
      case 'huge-header':
        return send(statusLine, [`X-Filler: ${'a'.repeat(64 * 1024 + (fault.n % (256 * 1024)))}`], plain, 'length');
    }
  }

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let data = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      data = Buffer.concat([data, chunk]);
      const request = parseRequest(data);
      if (request === undefined) return;
      socket.off('data', onData);
      answer(socket, request).catch(() => socket.destroy());
    };
    socket.on('data', onData);
  });
  await listenOn(server);
  (wire as { url: string }).url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return wire;
}

function listenOn(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
