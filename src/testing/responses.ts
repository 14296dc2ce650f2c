/**
 * Response helpers for emulators. They set the content type a vendor sends, so the SDK's parsing is
 * tested against the bytes a real server produces, not against objects handed over in memory.
 */

/** Status and headers of a helper-built response. */
export interface ResponseOptions {
  /**
   * The response status.
   * @default 200 (204 for `empty`)
   * @example { status: 404 }
   */
  status?: number | undefined;
  /**
   * Response headers beside the content type.
   * @example { 'X-Total-Count': '42' }
   * @default no extra headers
   */
  headers?: Record<string, string> | Headers | undefined;
}

/**
 * A JSON response.
 * @example json({ events: [] }, { headers: { 'X-Total-Count': '0' } })
 */
export function json(body: unknown, init: ResponseOptions = {}): Response {
  const headers = new Headers(init.headers);
  if (!headers.has('content-type')) headers.set('content-type', 'application/json; charset=utf-8');
  return new Response(JSON.stringify(body), { status: init.status ?? 200, headers });
}

/** A plain-text response, as some vendors send for errors (Tines, a proxy in front of the PCE). */
export function text(body: string, init: ResponseOptions = {}): Response {
  const headers = new Headers(init.headers);
  if (!headers.has('content-type')) headers.set('content-type', 'text/plain; charset=utf-8');
  return new Response(body, { status: init.status ?? 200, headers });
}

/** An HTML response, such as the error page of a load balancer or an identity gateway. */
export function html(body: string, init: ResponseOptions = {}): Response {
  const headers = new Headers(init.headers);
  if (!headers.has('content-type')) headers.set('content-type', 'text/html; charset=utf-8');
  return new Response(body, { status: init.status ?? 200, headers });
}

/** A response without a body (`204 No Content` unless told otherwise). */
export function empty(init: ResponseOptions = {}): Response {
  return new Response(null, { status: init.status ?? 204, headers: new Headers(init.headers) });
}

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The standard reason phrase of an HTTP status, or `'Error'`. */
export function reasonPhrase(status: number): string {
  return REASONS[status] ?? 'Error';
}

/** The error page a reverse proxy (nginx) puts in front of an API when the API is down. */
export function htmlErrorPage(status: number): Response {
  const title = `${status} ${reasonPhrase(status)}`;
  return html(
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n` +
      '<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
    { status },
  );
}

/**
 * Thrown inside an emulator's handler to answer with an error status; `defineEmulator` turns it into
 * the vendor's error body (its `errorResponse`), so query helpers and auth checks need not know the
 * vendor's error shape.
 */
export class EmulatorHttpError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'EmulatorHttpError';
    this.status = status;
    this.headers = headers;
  }
}

/** The error body used when an emulator does not define its own: `{ "error": { "status", "message" } }`. */
export function defaultErrorResponse(status: number, message: string, headers: Record<string, string> = {}): Response {
  return json({ error: { status, message } }, { status, headers });
}
