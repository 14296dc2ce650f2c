/**
 * Illumio's error bodies and the provider's own typed error. The PCE answers errors with a list of
 * `{ token, message }` (`[{"token":"input_validation_error","message":"..."}]`); a proxy in front of it
 * may send `{ error }`, `{ message }` or plain text. The core keeps the extracted message on the typed
 * error as `vendorMessage`.
 */
import { keepName, TributaryError, isTributaryError, type TributaryErrorOptions } from '../../core/errors.js';

function entryMessage(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry.trim() || undefined;
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { message, error, token } = entry as Record<string, unknown>;
  for (const candidate of [message, error, token]) {
    if (typeof candidate === 'string' && candidate.trim() !== '') return candidate.trim();
  }
  return undefined;
}

/** The PCE's message (several joined with `; `), or `undefined` when the body carries none. */
export function illumioErrorMessage(body: unknown): string | undefined {
  const entries = Array.isArray(body) ? body : [body];
  const joined = entries
    .map(entryMessage)
    .filter((message): message is string => message !== undefined)
    .join('; ');
  return joined === '' ? undefined : joined;
}

export interface IllumioJobErrorOptions extends TributaryErrorOptions {
  /**
   * The job's href, `/orgs/{orgId}/jobs/{id}`.
   * @example { job: '/orgs/1/jobs/7a3c9e12' }
   */
  job: string;
  /**
   * The job's last status (`failed`, or an unknown word).
   * @example { status: 'failed' }
   */
  status: string;
}

/**
 * An asynchronous export job the PCE reported as `failed`, or with a status word other than `pending`,
 * `running`, `done` or `completed`.
 */
export class IllumioJobError extends TributaryError {
  static override readonly brand: string = 'IllumioJobError';
  static {
    keepName(this);
  }
  readonly job: string;
  readonly status: string;
  constructor(message: string, options: IllumioJobErrorOptions) {
    super(message, options);
    this.job = options.job;
    this.status = options.status;
  }
}

/** Works across realms and duplicated copies of the package, like the core's guards. */
export function isIllumioJobError(value: unknown): value is IllumioJobError {
  if (!isTributaryError(value)) return false;
  const brands = (value as unknown as Record<symbol, unknown>)[Symbol.for('tributary.error')];
  return Array.isArray(brands) && brands.includes('IllumioJobError');
}
