/**
 * The decoding of a body by its `Content-Encoding`, as Node's fetch (undici) does it, for the in-process
 * adapter: an emulator's answer declared `gzip` reaches the client decoded, and one that does not decode
 * as it declares fails the reading of its body with `TypeError('terminated')`, zlib's error its cause,
 * as over a socket (the SDK's `BodyDecodeError` reads that cause). msw's interceptor decodes on its own.
 */

/** Statuses whose answers have no body, which fetch does not decode. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

type Zlib = typeof import('node:zlib');

/** The decoder of one coding, or `undefined` for a coding fetch does not know (it then decodes nothing). */
function decoder(zlib: Zlib, coding: string): import('node:stream').Duplex | undefined {
  // Undici's options: a body cut at a flush point yields what came, not an error of its own.
  const flush = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  if (coding === 'gzip' || coding === 'x-gzip') return zlib.createGunzip(flush);
  // Zlib-wrapped, as RFC 9110 has it; undici also reads the raw deflate of some servers, which fails here.
  if (coding === 'deflate') return zlib.createInflate(flush);
  if (coding === 'br') {
    return zlib.createBrotliDecompress({ flush: zlib.constants.BROTLI_OPERATION_FLUSH, finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
  }
  const zstd = (zlib as { createZstdDecompress?: () => import('node:stream').Duplex }).createZstdDecompress;
  // Undici 7 (Node 24) decodes zstd where zlib can; undici 6 (Node 20 and 22) knows no zstd.
  if (coding === 'zstd' && zstd !== undefined && Number(process.versions['undici']?.split('.')[0]) >= 7) return zstd();
  return undefined;
}

/**
 * `body` decoded as `contentEncoding` declares (codings applied last are undone first), or as it is
 * when there is none, when one of them is unknown (`identity` and `compress` too, as undici reads
 * them), or when the answer has no body to decode.
 */
export function decodedBody(
  body: ReadableStream<Uint8Array> | null,
  contentEncoding: string | null,
  status: number,
  method: string,
): ReadableStream<Uint8Array> | null {
  if (body === null || contentEncoding === null || method === 'HEAD' || NULL_BODY.has(status)) return body;
  // As undici reads the list: an empty member (`gzip,`) is a coding it does not know, as `identity` is.
  const codings = contentEncoding
    .toLowerCase()
    .split(',')
    .map((coding) => coding.trim());
  // Loaded on the first encoded answer only: importing tributary/testing loads no zlib.
  const zlib = process.getBuiltinModule('node:zlib');
  const { Duplex } = process.getBuiltinModule('node:stream');
  const decoders = codings.reverse().map((coding) => decoder(zlib, coding));
  if (decoders.some((entry) => entry === undefined)) return body;
  let decoded = body;
  for (const entry of decoders as import('node:stream').Duplex[]) {
    decoded = decoded.pipeThrough(Duplex.toWeb(entry) as unknown as TransformStream<Uint8Array, Uint8Array>);
  }
  return failingAsFetch(decoded);
}

/** `stream`, whose failure reaches the reader as undici reports a body it could not decode: `TypeError('terminated')`, zlib's error its `cause`. */
function failingAsFetch(stream: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = stream.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        controller.error(new TypeError('terminated', { cause: error }));
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}
