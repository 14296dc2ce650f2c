/**
 * Reading a response body under a size cap. The cap is checked against `Content-Length` first, then
 * counted as chunks arrive, so a body larger than the cap is never buffered whole (a misbehaving server
 * or proxy cannot exhaust memory).
 */

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number, readonly declared: number | undefined) {
    super(
      declared === undefined
        ? `the response body exceeds maxResponseSize (${limit} bytes)`
        : `the response declares ${declared} bytes, more than maxResponseSize (${limit} bytes)`,
    );
    this.name = 'BodyTooLargeError';
  }
}

export interface ReadBodyOptions {
  /** Largest body accepted, in bytes. */
  limit: number;
  /**
   * Stop quietly at `limit`, or at a failure of the stream, instead of failing, with what came until
   * then (for error bodies, of which only an excerpt is kept).
   */
  truncate?: boolean;
}

/** The body as UTF-8 text. Rejects with `BodyTooLargeError`, or with the stream's own error. */
export async function readBody(response: Response, options: ReadBodyOptions): Promise<string> {
  const { limit, truncate = false } = options;
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (!truncate && Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw new BodyTooLargeError(limit, declared);
  }
  if (!response.body) return '';
  // A declared length within the cap, not compressed (a compressed body inflates beyond its header):
  // read at once, without a promise per chunk. Not for an excerpt, which keeps what came before a failure.
  if (!truncate && Number.isFinite(declared) && declared <= limit && isIdentity(response.headers.get('content-encoding'))) {
    return response.text();
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    let read: ReadableStreamReadResult<Uint8Array>;
    try {
      read = await reader.read();
    } catch (error) {
      // An excerpt that breaks off (a reset, a stall given up on) is what came until then.
      if (!truncate) throw error;
      break;
    }
    const { done, value } = read;
    if (done) break;
    received += value.byteLength;
    if (received > limit) {
      await reader.cancel().catch(() => undefined);
      if (!truncate) throw new BodyTooLargeError(limit, undefined);
      chunks.push(value.subarray(0, value.byteLength - (received - limit)));
      break;
    }
    chunks.push(value);
  }
  // One decode of the whole body is cheaper than decoding chunk by chunk and joining strings.
  return new TextDecoder().decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
}

function isIdentity(encoding: string | null): boolean {
  return encoding === null || encoding === '' || encoding.toLowerCase() === 'identity';
}
