/**
 * The bytes of a cursor, base64url-encoded: the JSON envelope as it is (its first byte `{`), or, once
 * the JSON is long, a tag byte (`DEFLATED`) and the envelope compressed with zlib. A cursor keeps the
 * ids delivered at an instant and within the tail's overlap minute, up to thousands of them (an
 * Informatica cursor about 70,000 characters, an Illumio burst at one instant 160,000 and more), and
 * users keep cursors in database columns, Redis keys, environment variables and files. Decimal ids
 * compress about sevenfold, fingerprints (`idKey` of a long id, 16 random hex digits) about twofold.
 *
 * Short cursors stay as they were, readable once base64-decoded. Every cursor ever issued is read:
 * those of the plain form, and those of the compressed one, which start with the tag.
 *
 * zlib rather than raw deflate: its Adler-32 turns a cursor altered in storage into a `CursorError`
 * rather than into other ids, which would deliver events twice or lose them. The inflated envelope is
 * bounded (`maxBytes`): a small cursor that inflates to gigabytes is refused, after a few milliseconds.
 *
 * A plain cursor ends its JSON with a check of its own (`"c"`, the FNV-1a 64 of the JSON without it):
 * without one, a character changed in storage read as another token, instant or id (a FUJITSU key
 * `#cfef…` became ` cfef…`), and the listing resumed elsewhere. A plain cursor written before the
 * check is read as it was; `decodeCursor` refuses an envelope with a `c` left in it, so a check
 * altered does not make a cursor pass for one of those.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { fnv1a64 } from './hash.js';

/** The first byte of a compressed cursor; a plain one starts with `{`. */
export const DEFLATED = 0x01;
/**
 * Envelopes up to this many bytes of JSON, their check included, stay plain (a cursor of up to 1024
 * characters): most cursors, readable as they were. Compressing them would save a few hundred
 * characters at most, for the setup of a zlib stream (some 30 to 100 microseconds) at every encoding
 * and decoding.
 */
export const PLAIN_UP_TO = 768;

/** A cursor whose content cannot be read: the message says why. */
export class CursorPackError extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'CursorPackError';
  }
}

/** What ends a checked plain envelope: `,"c":"` and 16 hex digits, `"}`. */
const CHECK = /^,"c":"[0-9a-f]{16}"\}$/;
const CHECK_LENGTH = ',"c":"0123456789abcdef"}'.length;

/** The JSON of an envelope (an object) with its check as its last member. */
function withCheck(json: string): string {
  return `${json.slice(0, -1)},"c":"${fnv1a64(json)}"}`;
}

/**
 * The JSON of a plain cursor without its check, once the check matches; as it is when it ends
 * without one (written before plain cursors were checked).
 */
function checked(json: string): string {
  const tail = json.slice(-CHECK_LENGTH);
  if (!CHECK.test(tail)) return json;
  const body = `${json.slice(0, -CHECK_LENGTH)}}`;
  if (fnv1a64(body) !== tail.slice(6, 22)) throw new CursorPackError('its content does not match its check (altered)');
  return body;
}

/** The cursor of an envelope's JSON: plain when short or when compressing would not shorten it. */
export function packCursor(json: string): string {
  const plain = Buffer.from(withCheck(json), 'utf8');
  if (plain.length > PLAIN_UP_TO) {
    const deflated = deflateSync(json);
    if (deflated.length + 1 < plain.length) return Buffer.concat([Buffer.of(DEFLATED), deflated]).toString('base64url');
  }
  return plain.toString('base64url');
}

/** The envelope JSON of a base64url cursor, inflated when it is compressed, at most `maxBytes` long. */
export function unpackCursor(cursor: string, maxBytes: number): string {
  const bytes = Buffer.from(cursor, 'base64url');
  if (bytes[0] !== DEFLATED) return checked(bytes.toString('utf8'));
  const deflated = bytes.subarray(1);
  let inflated: { buffer: Buffer; engine: { bytesWritten: number } };
  try {
    // `info`: the engine tells how much input the stream took, so bytes after its end are seen.
    inflated = inflateSync(deflated, { maxOutputLength: maxBytes, info: true }) as unknown as typeof inflated;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new CursorPackError(`its compressed content inflates to more than ${maxBytes} bytes`, { cause: error });
    if (code === 'Z_BUF_ERROR') throw new CursorPackError('its compressed content is cut short (truncated)', { cause: error });
    const detail = error instanceof Error ? error.message : String(error);
    throw new CursorPackError(`its compressed content is corrupt (${detail})`, { cause: error });
  }
  if (inflated.engine.bytesWritten !== deflated.length) {
    throw new CursorPackError(`its compressed content is followed by ${deflated.length - inflated.engine.bytesWritten} bytes of something else`);
  }
  return inflated.buffer.toString('utf8');
}
