/**
 * A request whose method node's HTTP parser does not know (`FROB`, a lower-case `patch`, an extension
 * of WebDAV it lacks): node answers it 400 before the emulator sees it, where the vendors (and the
 * in-process adapters) answer 405 with the `Allow` of the path. Read here from the bytes node fails on
 * (its spent parser fails again on each packet that follows, handing over each); the answer ends the
 * connection.
 */
import type { Socket } from 'node:net';

/** A request as read from its bytes: the headers as node's `rawHeaders` list them, name then value. */
export interface RawRequest {
  method: string;
  target: string;
  rawHeaders: string[];
  body: Buffer;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Node's own limit of a request's head (`maxHeaderSize`): a longer one is refused, not held. */
const MAX_HEAD = 16 * 1024;
/** The most of a body held for such a request: its answer, a 405, never reads it. */
const MAX_BODY = 1024 * 1024;

/** The request `bytes` hold, `'incomplete'` while more is to come, or `undefined` if they are not one node would read. */
export function parseUnknownMethod(bytes: Buffer): RawRequest | 'incomplete' | undefined {
  // Bytes that no method starts (a TLS handshake sent to an http: address) are refused as they come:
  // their client waits for the server's answer, and would never send the head waited for.
  const space = bytes.indexOf(' ');
  if (!TOKEN.test(bytes.subarray(0, space < 0 ? MAX_HEAD : space).toString('latin1'))) return undefined;
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return bytes.length > MAX_HEAD ? undefined : 'incomplete';
  if (end > MAX_HEAD) return undefined;
  const [line = '', ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const parts = /^(\S+) (\S+) HTTP\/1\.[01]$/.exec(line);
  if (parts === null || !TOKEN.test(parts[1] as string)) return undefined;
  const rawHeaders: string[] = [];
  let length = 0;
  for (const header of lines) {
    const colon = header.indexOf(':');
    const name = header.slice(0, colon);
    const value = header.slice(colon + 1).trim();
    if (colon <= 0 || !TOKEN.test(name) || /[\0-\x08\x0a-\x1f\x7f]/.test(value)) return undefined;
    // A chunked body is not read here: such a request stays node's 400.
    if (/^transfer-encoding$/i.test(name)) return undefined;
    if (/^content-length$/i.test(name)) {
      if (!/^\d+$/.test(value) || Number(value) > MAX_BODY) return undefined;
      length = Number(value);
    }
    rawHeaders.push(name, value);
  }
  if (bytes.length < end + 4 + length) return 'incomplete';
  return { method: parts[1] as string, target: parts[2] as string, rawHeaders, body: bytes.subarray(end + 4, end + 4 + length) };
}

/**
 * Writes `response` to `socket` by hand, framed by the emulator's own `Content-Length`, else a body in
 * chunks, as node frames the server's other answers, and ends the connection; a body that fails (a
 * truncate fault) ends it after what was sent, as there. An empty body is sent with a length of 0
 * where node would send it in chunks: both read as empty, and neither as an answer cut short.
 */
export async function writeAndClose(socket: Socket, response: Response, statusText: string): Promise<void> {
  const lines = [`HTTP/1.1 ${response.status} ${statusText}`.trimEnd()];
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') lines.push(`${name}: ${value}`);
  });
  for (const cookie of response.headers.getSetCookie()) lines.push(`set-cookie: ${cookie}`);
  lines.push('Connection: close');
  const chunked = response.body !== null && !response.headers.has('content-length');
  if (response.body === null && !response.headers.has('content-length')) lines.push('Content-Length: 0');
  if (chunked) lines.push('Transfer-Encoding: chunked');
  socket.write(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  if (response.body === null) return void socket.end();
  const reader = response.body.getReader();
  try {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      if (socket.destroyed) return void (await reader.cancel());
      if (chunk.value.length === 0) continue;
      socket.write(chunked ? Buffer.concat([Buffer.from(`${chunk.value.length.toString(16)}\r\n`), chunk.value, Buffer.from('\r\n')]) : chunk.value);
    }
    socket.end(chunked ? '0\r\n\r\n' : '');
  } catch {
    socket.end();
  }
}
