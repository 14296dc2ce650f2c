import { redact } from '../redact.js';
import { hasBrand, keepName } from './brand.js';
import { TributaryError, type TributaryErrorOptions } from './tributary-error.js';

export interface HttpErrorOptions extends TributaryErrorOptions {
  /**
   * The answer's HTTP status.
   * @example { status: 502 }
   */
  status: number;
  /**
   * The request's method.
   * @example { method: 'GET' }
   */
  method: string;
  /**
   * The request URL; credentials in it are removed before it is stored.
   * @example { url: 'https://pce.example.com:8443/api/v2/orgs/1/events' }
   */
  url: string;
  /**
   * The first bytes of the response body, for the reader of a log.
   * @default undefined (no body)
   * @example { bodyExcerpt: '<html><body>Bad Gateway</body></html>' }
   */
  bodyExcerpt?: string | undefined;
  /**
   * The vendor's message extracted from its error body, when it has one.
   * @default undefined (none)
   * @example { vendorMessage: 'Invalid credentials' }
   */
  vendorMessage?: string | undefined;
  /**
   * The vendor's request id header, for support tickets.
   * @default undefined (none)
   * @example { requestId: '4f1c2b7e-93aa-4b0e-8d55-0c6b1f2a9e31' }
   */
  requestId?: string | undefined;
}

/** The server answered with a status that is not a success. */
export class HttpError extends TributaryError {
  static override readonly brand: string = 'HttpError';
  static {
    keepName(this);
  }
  declare readonly '~classes'?: { readonly TributaryError: true; readonly HttpError: true };
  readonly status: number;
  readonly method: string;
  readonly url: string;
  readonly bodyExcerpt: string | undefined;
  readonly vendorMessage: string | undefined;
  readonly requestId: string | undefined;

  constructor(message: string, options: HttpErrorOptions) {
    super(message, options);
    this.status = options.status;
    this.method = options.method;
    this.url = redact(options.url);
    this.bodyExcerpt = options.bodyExcerpt === undefined ? undefined : redact(options.bodyExcerpt);
    this.vendorMessage = options.vendorMessage === undefined ? undefined : redact(options.vendorMessage);
    // Gateways have been seen to copy a request's headers into their request id.
    this.requestId = options.requestId === undefined ? undefined : redact(options.requestId);
  }
}

export const isHttpError = (value: unknown): value is HttpError => hasBrand(value, 'HttpError');
