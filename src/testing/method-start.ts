/**
 * Where a request of a method node's parser does not know starts, when its name came in pieces. The
 * parser takes a piece that begins a method it knows (`P`, `PAT`, the `F` of a method of its own) and
 * fails only in a later one, whose bytes alone it hands over: `PAT` then `CHX /x` was read as a `CHX`.
 * So the server keeps, per connection, the method characters that ended the pieces before (`MethodTail`),
 * and the start is found again by reading the name through the methods the parser knows.
 */
import type { Socket } from 'node:net';

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]$/;
/** Longer than any method node knows: what came before is no part of a name the parser took. */
const MOST = 32;

/**
 * The names node's parser (llhttp) reads a method through: HTTP's (`http.METHODS`) and those it shares
 * with RTSP and the HTTP/2 preface, which it takes as far as they go before it refuses them (an `F` as
 * the start of `FLUSH`).
 */
export const PARSER_METHODS_BEYOND_HTTP = [
  'PRI', 'DESCRIBE', 'ANNOUNCE', 'SETUP', 'PLAY', 'PAUSE', 'TEARDOWN', 'GET_PARAMETER', 'SET_PARAMETER', 'REDIRECT', 'RECORD', 'FLUSH',
] as const;

function isToken(byte: number | undefined): boolean {
  return byte !== undefined && TOKEN.test(String.fromCharCode(byte));
}

/** The method characters a connection's pieces ended with, before the piece that came last. */
export class MethodTail {
  readonly #before = new WeakMap<Socket, Buffer>();
  readonly #after = new WeakMap<Socket, Buffer>();

  /** Notes `piece`, the next one of `socket`'s bytes, before node's parser reads it. */
  note(socket: Socket, piece: Buffer): void {
    const before = this.#after.get(socket) ?? Buffer.alloc(0);
    this.#before.set(socket, before);
    // No further back than a name can reach: a body of token characters is not read through.
    const floor = Math.max(0, piece.length - MOST);
    let start = piece.length;
    while (start > floor && isToken(piece[start - 1])) start -= 1;
    const tail = start === 0 ? Buffer.concat([before, piece]) : piece.subarray(start);
    // A copy: a view would keep the whole piece alive with the connection.
    this.#after.set(socket, Buffer.from(tail.subarray(Math.max(0, tail.length - MOST))));
  }

  /** The method characters that ended the pieces before the last one of `socket`. */
  before(socket: Socket): Buffer {
    return this.#before.get(socket) ?? Buffer.alloc(0);
  }
}

/**
 * The bytes of the request node's parser failed on at `failedAt` of `packet`, inside its method, from
 * its start: the requests pipelined before it in the same packet are node's, and the part of its name
 * the parser took from the pieces before (`before`: their last method characters) is put back, the
 * longest that the parser, reading through `methods`, would have taken and then failed where it did.
 */
export function failedRequestStart(packet: Buffer, failedAt: number, before: Buffer, methods: readonly string[]): Buffer {
  let start = Math.min(failedAt, packet.length);
  while (start > 0 && isToken(packet[start - 1])) start -= 1;
  if (start > 0) return packet.subarray(start);
  const read = packet.subarray(0, failedAt).toString('latin1');
  const failing = packet.subarray(failedAt, failedAt + 1).toString('latin1');
  const text = before.toString('latin1');
  for (let from = 0; from < text.length; from += 1) {
    const taken = text.slice(from) + read;
    if (methods.some((method) => method.startsWith(taken)) && !methods.some((method) => method.startsWith(taken + failing))) {
      return Buffer.concat([before.subarray(from), packet]);
    }
  }
  return packet;
}
