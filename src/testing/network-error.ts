/**
 * Network failures as an in-process `fetch` reports them. Node's fetch (undici) rejects a request whose
 * connection was reset with `TypeError: fetch failed` whose `cause` is the socket error
 * (`code: 'ECONNRESET'`), and fails a body read cut short with `TypeError: terminated`. The in-process
 * adapters reproduce exactly that, so the SDK's network-error handling is tested, not bypassed.
 */

const RESET = Symbol.for('tributary.testing.connection-reset');

/** The socket-level error undici puts in `cause`. */
export interface SocketErrorLike extends Error {
  code: string;
  errno: number;
  syscall: string;
}

function socketError(code: 'ECONNRESET' | 'UND_ERR_SOCKET', message: string): SocketErrorLike {
  // errno -104 is ECONNRESET on Linux, as `err.errno` reports it.
  return Object.assign(new Error(message), { code, errno: -104, syscall: 'read' });
}

/** The rejection of a `fetch` whose connection was reset before any response, as undici makes it. */
export function connectionResetError(): TypeError {
  const error = new TypeError('fetch failed', { cause: socketError('ECONNRESET', 'read ECONNRESET') });
  Object.defineProperty(error, RESET, { value: true });
  return error;
}

/** Whether `error` is a connection reset made by `connectionResetError` (the real server then destroys the socket). */
export function isConnectionReset(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { [RESET]?: boolean })[RESET] === true;
}

/** The error a body read fails with when the connection closes mid-body, as undici reports it. */
export function truncatedBodyError(): TypeError {
  return new TypeError('terminated', { cause: socketError('UND_ERR_SOCKET', 'other side closed') });
}
