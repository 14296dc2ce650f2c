/**
 * Reading a response body under a size cap. The cap is checked against `Content-Length` first, then
 * counted as chunks arrive, so a body larger than the cap is never buffered whole (a misbehaving server
 * or proxy cannot exhaust memory).
 */
import { causes } from './causes.js';
import { show } from './config.js';

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

/**
 * The body's `Content-Type` names a charset that TextDecoder (the Encoding standard's labels) does not
 * know. Read as UTF-8 instead, every letter outside ASCII would turn into U+FFFD without a word.
 */
export class BodyCharsetError extends Error {
  constructor(
    /** The declared charset, as the server sent it. */
    readonly charset: string,
    /** The body read as UTF-8, all the SDK could make of it (for an error's `raw` or excerpt). */
    readonly text: string,
  ) {
    super(`its body's charset ${show(charset)} (its Content-Type's) is not one the SDK can decode`);
    this.name = 'BodyCharsetError';
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
 * The body as text, in the charset its `Content-Type` declares (UTF-8 without one), a byte order mark
 * overruling it. Rejects with `BodyTooLargeError`, `BodyDecodeError` or `BodyCharsetError` (these two
 * also when truncating: the status is then the answer, and the reason its body is missing or misread is
 * worth telling), or with the stream's own error.
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
  const charset = declaredCharset(headers.get('content-type'));
  let received = 0;
  for (;;) {
    let read: ReadableStreamReadResult<Uint8Array>;
    try {
      read = await reader.read();
      if (signal?.aborted) throw signal.reason;
    } catch (error) {
      const encoding = headers.get('content-encoding');
      const decoder = isIdentity(encoding) ? undefined : decoderFailure(error);
      if (decoder !== undefined) throw new BodyDecodeError((encoding as string).trim(), readable(chunks, charset), { cause: decoder });
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
  return decode(chunks, charset);
}

/**
 * The `charset` parameter of a `Content-Type`, unquoted; `undefined` without one, or for UTF-8's own
 * names (read as before, the common case). A quoted value of another parameter may hold `;charset=`.
 */
function declaredCharset(type: string | null): string | undefined {
  if (type === null || !/charset/i.test(type)) return undefined;
  for (const [, name, quoted, bare = ''] of type.matchAll(/;\s*([^\s;=]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g)) {
    if (name?.toLowerCase() !== 'charset') continue;
    const charset = (quoted === undefined ? bare : quoted.replace(/\\(.)/g, '$1')).trim();
    return charset === '' || /^utf-?8$/i.test(charset) ? undefined : charset;
  }
  return undefined;
}

/** The encoding a byte order mark names, which overrules the declared one (the Encoding standard's decode). */
function markedEncoding(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return undefined;
}

function decode(chunks: readonly Uint8Array[], charset: string | undefined): string {
  // One decode of the whole body is cheaper than decoding chunk by chunk and joining strings.
  const bytes = chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks);
  const label = markedEncoding(bytes) ?? charset;
  if (label === undefined) return new TextDecoder().decode(bytes);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    throw new BodyCharsetError(label, new TextDecoder().decode(bytes));
  }
  const text = decoder.decode(bytes);
  return decoder.encoding === 'windows-1252' ? asWindows1252(text) : text;
}

/**
 * What windows-1252 (which `iso-8859-1` and `us-ascii` name too) has at 0x80–0x9F. Node 20's
 * TextDecoder reads those bytes as ISO-8859-1 does, as C1 controls, where Node 24's follows the
 * Encoding standard: a vendor's curly quotes, dashes and euro sign would arrive as controls. The five
 * bytes the code page leaves undefined stay controls, as the standard has them.
 */
const WINDOWS_1252_C1 =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function asWindows1252(text: string): string {
  return /[\u0080-\u009f]/.test(text) ? text.replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_C1.charAt(c.charCodeAt(0) - 0x80)) : text;
}

/** What came of a body whose read failed, as UTF-8 when its charset is unknown: an excerpt all the same. */
function readable(chunks: readonly Uint8Array[], charset: string | undefined): string {
  try {
    return decode(chunks, charset);
  } catch (error) {
    if (error instanceof BodyCharsetError) return error.text;
    throw error;
  }
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
