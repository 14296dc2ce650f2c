/**
 * An HTTP/1.1 client written by hand over `node:net`, so that a test controls every byte a server gets
 * (pipelined requests, bodies split anywhere, requests cut short, lines no library would send) and reads
 * every byte it answers (interim answers, framing, what follows a close).
 */
import { connect, type Socket } from 'node:net';

export interface WireAnswer {
  status: number;
  reason: string;
  /** Header names in lower case; repeated ones joined with `, ` (`set-cookie` with `\n`). */
  headers: Record<string, string>;
  body: Buffer;
  /** Interim (1xx) statuses that came before this answer. */
  interim: number[];
}

/** A connection whose bytes are read as they come, and whose answers are parsed on demand. */
export interface Wire {
  readonly socket: Socket;
  write(bytes: string | Buffer): Promise<void>;
  /** The next answer, or `undefined` if the server closed the connection first. `head` says it answers a HEAD. */
  answer(head?: boolean): Promise<WireAnswer | undefined>;
  /** Waits for `n` bytes more than have been parsed, or for the close. */
  waitForBytes(n: number): Promise<void>;
  /** Resolves when the server has closed the connection; what it sent after the last answer parsed. */
  closed(): Promise<Buffer>;
  /** Ends the connection at once; resolves when its socket is released. */
  destroy(): Promise<void>;
}

export function openWire(port: number): Promise<Wire> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    let ended = false;
    let wake: () => void = () => {};
    const changed = () => new Promise<void>((r) => (wake = r));
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      wake();
    });
    socket.on('close', () => {
      ended = true;
      wake();
    });
    // A reset by the server is a close like any other here: what was read is kept.
    socket.on('error', () => undefined);

    /** Waits until `ready()` holds or the connection closed; returns whether `ready()` holds. */
    async function until(ready: () => boolean): Promise<boolean> {
      while (!ready()) {
        if (ended) return ready();
        await changed();
      }
      return true;
    }

    async function answer(head = false): Promise<WireAnswer | undefined> {
      const interim: number[] = [];
      for (;;) {
        if (!(await until(() => data.includes('\r\n\r\n')))) return undefined;
        const end = data.indexOf('\r\n\r\n');
        const [line = '', ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
        data = data.subarray(end + 4);
        const match = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(line);
        if (match === null) throw new Error(`not a status line: ${JSON.stringify(line.slice(0, 100))}`);
        const status = Number(match[1]);
        const headers: Record<string, string> = {};
        for (const header of lines) {
          const colon = header.indexOf(':');
          const name = header.slice(0, colon).trim().toLowerCase();
          const value = header.slice(colon + 1).trim();
          headers[name] = headers[name] === undefined ? value : `${headers[name]}${name === 'set-cookie' ? '\n' : ', '}${value}`;
        }
        if (status >= 100 && status < 200) {
          interim.push(status);
          continue;
        }
        const body = await readBody(headers, head || status === 204 || status === 304);
        return { status, reason: match[2] ?? '', headers, body, interim };
      }
    }

    async function readBody(headers: Record<string, string>, none: boolean): Promise<Buffer> {
      if (none) return Buffer.alloc(0);
      if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
        const parts: Buffer[] = [];
        for (;;) {
          if (!(await until(() => data.includes('\r\n')))) throw new Error('closed inside a chunk size');
          const eol = data.indexOf('\r\n');
          const size = parseInt(data.subarray(0, eol).toString('latin1'), 16);
          if (!Number.isInteger(size)) throw new Error('malformed chunk size');
          if (!(await until(() => data.length >= eol + 2 + size + 2))) throw new Error('closed inside a chunk');
          if (size === 0) {
            // No trailers are expected: the empty line after the last chunk.
            data = data.subarray(eol + 4);
            return Buffer.concat(parts);
          }
          parts.push(Buffer.from(data.subarray(eol + 2, eol + 2 + size)));
          data = data.subarray(eol + 2 + size + 2);
        }
      }
      if (headers['content-length'] !== undefined) {
        const length = Number(headers['content-length']);
        if (!(await until(() => data.length >= length))) throw new Error(`closed after ${data.length} of ${length} bytes`);
        const body = Buffer.from(data.subarray(0, length));
        data = data.subarray(length);
        return body;
      }
      // Neither: the body runs to the close.
      await until(() => false);
      const body = data;
      data = Buffer.alloc(0);
      return body;
    }

    const wire: Wire = {
      socket,
      write: (bytes) => new Promise((done) => (socket.destroyed ? done() : socket.write(bytes, () => done()))),
      answer,
      waitForBytes: async (n) => void (await until(() => data.length >= n)),
      closed: async () => {
        await until(() => false);
        return data;
      },
      destroy: () =>
        new Promise((done) => {
          if (socket.closed) return done();
          socket.once('close', () => done());
          socket.destroy();
        }),
    };
    socket.once('connect', () => resolve(wire));
    socket.once('error', reject);
  });
}

/** The bytes of a request: `body` framed by its length or in chunks of the sizes given. */
export function requestBytes(
  method: string,
  target: string,
  headers: ReadonlyArray<readonly [string, string]>,
  body?: { bytes: Buffer; framing: 'length' | 'chunked'; chunks?: readonly number[] },
): Buffer {
  const lines = [`${method} ${target} HTTP/1.1`, ...headers.map(([name, value]) => `${name}: ${value}`)];
  if (body === undefined) return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  if (body.framing === 'length') {
    lines.push(`Content-Length: ${body.bytes.length}`);
    return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body.bytes]);
  }
  lines.push('Transfer-Encoding: chunked');
  const parts: Buffer[] = [Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1')];
  let at = 0;
  for (const size of [...(body.chunks ?? []), body.bytes.length]) {
    const piece = body.bytes.subarray(at, Math.min(body.bytes.length, at + Math.max(1, size)));
    if (piece.length === 0) break;
    parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
    at += piece.length;
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}
