/**
 * Reading a response body under a size cap. The cap is checked against `Content-Length` first, then
 * counted as chunks arrive, so a body larger than the cap is never buffered whole (a misbehaving server
 * or proxy cannot exhaust memory).
 */
import { causes } from './causes.js';

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

/**
 * The body could not be decoded as its `Content-Encoding` declares: a plain body labelled `gzip` (a
 * proxy that unpacked it and kept the header, a server that labels what it did not compress). fetch
 * decodes as it reads, so this is met reading the body, and the same request brings the same body.
 */
export class BodyDecodeError extends Error {
  constructor(
    /** The declared `Content-Encoding`, as the server sent it. */
    readonly encoding: string,
    /** What was decoded before the failure (for an error's excerpt). */
    readonly partial: string,
    options: { cause: unknown },
  ) {
    const reason = decoderMessage(options.cause);
    super(`its body could not be decoded as the ${encoding} its Content-Encoding declares${reason ? ` (${reason})` : ''}`, options);
    this.name = 'BodyDecodeError';
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
  /**
   * The attempt's signal: once it aborts, the body is read no further. undici's bodies fail at the
   * abort on their own; a custom `fetch`'s may not, and a body that trickles held the attempt past its
   * timeout for as long as it went on. A truncated read ends quietly with what came, as at a failure.
   */
  signal?: AbortSignal | undefined;
}

/**
 * Cancels a body (or its reader) without waiting for the cancel to settle: nothing more is read from it,
 * and under msw the wait never ends. msw keeps an unread clone of every mocked answer, and the cancel of
 * a body so cloned (teed) settles only once its clone is cancelled too (Streams standard,
 * ReadableStreamDefaultTee): a client on msw waited forever at a redirect.
 */
export function letGo(body: { cancel(): Promise<void> } | null | undefined): void {
  body?.cancel().catch(() => undefined);
}

/**
 * The body as UTF-8 text. Rejects with `BodyTooLargeError`, `BodyDecodeError` (also when truncating: the
 * status is then the answer, and the reason its body is missing is worth telling), or with the stream's
 * own error.
 */
export async function readBody(response: Response, options: ReadBodyOptions): Promise<string> {
  const { limit, truncate = false } = options;
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (!truncate && Number.isFinite(declared) && declared > limit) {
    letGo(response.body);
    throw new BodyTooLargeError(limit, declared);
  }
  const { signal } = options;
  if (signal?.aborted) {
    letGo(response.body);
    throw signal.reason;
  }
  if (!response.body) return '';
  // Always through a reader, a declared length too: a body read at once (`text()`) locks the stream,
  // and an abort could then not stop it. The promise a chunk costs is small beside a page's parse.
  const reader = response.body.getReader();
  // Cancelling the reader settles the read in progress as done; the loop then tells the abort apart.
  const stop = (): void => letGo(reader);
  signal?.addEventListener('abort', stop, { once: true });
  try {
    return await readChunks(reader, response.headers, limit, truncate, signal);
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}

async function readChunks(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  headers: Headers,
  limit: number,
  truncate: boolean,
  signal: AbortSignal | undefined,
): Promise<string> {
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    let read: ReadableStreamReadResult<Uint8Array>;
    try {
      read = await reader.read();
      if (signal?.aborted) throw signal.reason;
    } catch (error) {
      const encoding = headers.get('content-encoding');
      const decoder = isIdentity(encoding) ? undefined : decoderFailure(error);
      if (decoder !== undefined) throw new BodyDecodeError((encoding as string).trim(), decode(chunks), { cause: decoder });
      // An excerpt that breaks off (a reset, a stall given up on) is what came until then.
      if (!truncate) throw error;
      break;
    }
    const { done, value } = read;
    if (done) break;
    received += value.byteLength;
    if (received > limit) {
      letGo(reader);
      if (!truncate) throw new BodyTooLargeError(limit, undefined);
      chunks.push(value.subarray(0, value.byteLength - (received - limit)));
      break;
    }
    chunks.push(value);
  }
  return decode(chunks);
}

function decode(chunks: readonly Uint8Array[]): string {
  // One decode of the whole body is cheaper than decoding chunk by chunk and joining strings.
  return new TextDecoder().decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
}

function isIdentity(encoding: string | null): boolean {
  return encoding === null || encoding.trim() === '' || encoding.trim().toLowerCase() === 'identity';
}

/**
 * The error of Node's decompressor in the chain fetch rejects with (undici: `TypeError: terminated`,
 * caused by it): zlib's codes (`Z_DATA_ERROR`, gzip and deflate), Brotli's (`ERR__ERROR_FORMAT_...`),
 * zstd's. A reset or a stream cut short is a socket's error instead, and stays a network failure.
 */
function decoderFailure(error: unknown): Error | undefined {
  for (const cause of causes(error)) {
    if (typeof cause.code === 'string' && /^(?:Z_|ERR__ERROR_|ERR_ZSTD|ZSTD_)/.test(cause.code)) return cause;
  }
  return undefined;
}

function decoderMessage(error: unknown): string {
  return error instanceof Error ? error.message : '';
}
