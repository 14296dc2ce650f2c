import { hasBrand, keepName } from './brand.js';
import { TributaryError, type TributaryErrorOptions } from './tributary-error.js';

/**
 * Why a cursor was refused: `'malformed'`, not a cursor of this version of tributary; `'provider'`,
 * `'paging'` or `'query'`, a cursor of another provider, of a listing that pages another way, or of
 * another query (resume with the query that produced it); `'checkpoint'`, a checkpoint that holds none
 * (an empty file, a directory where its file goes, or a folder for it that cannot be made or that the
 * system refuses: a read-only mount, a folder it may not write, a full disk).
 */
export type CursorErrorReason = 'malformed' | 'provider' | 'paging' | 'query' | 'checkpoint';

/** A cursor is malformed, from another provider, or from another query; thrown before any request. */
export class CursorError extends TributaryError {
  static override readonly brand: string = 'CursorError';
  static {
    keepName(this);
  }
  declare readonly '~classes'?: { readonly TributaryError: true; readonly CursorError: true };
  /** Why the cursor was refused, so that a caller need not read the message. */
  readonly reason: CursorErrorReason;
  constructor(message: string, options: TributaryErrorOptions & { reason?: CursorErrorReason | undefined } = {}) {
    super(message, options);
    this.reason = options.reason ?? 'malformed';
  }
}

export const isCursorError = (value: unknown): value is CursorError => hasBrand(value, 'CursorError');
