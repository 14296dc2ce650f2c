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

/** The reason phrases of RFC 9110 and the registry, as node's HTTP server writes them in a status line. */
const REASONS: Readonly<Record<number, string>> = {
  100: 'Continue',
  101: 'Switching Protocols',
  102: 'Processing',
  103: 'Early Hints',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  203: 'Non-Authoritative Information',
  204: 'No Content',
  205: 'Reset Content',
  206: 'Partial Content',
  207: 'Multi-Status',
  208: 'Already Reported',
  226: 'IM Used',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  305: 'Use Proxy',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  417: 'Expectation Failed',
  418: "I'm a Teapot",
  421: 'Misdirected Request',
  422: 'Unprocessable Entity',
  423: 'Locked',
  424: 'Failed Dependency',
  425: 'Too Early',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
  506: 'Variant Also Negotiates',
  507: 'Insufficient Storage',
  508: 'Loop Detected',
  509: 'Bandwidth Limit Exceeded',
  510: 'Not Extended',
  511: 'Network Authentication Required',
};

/**
 * The status text a client reads over HTTP/1.1: the answer's own, else the standard reason phrase of
 * its status, else none (`''`) for a status without one.
 */
export function statusTextOf(response: Response): string {
  return response.statusText || (REASONS[response.status] ?? '');
}

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
