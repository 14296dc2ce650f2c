/**
 * A Redis server that answered the connection with a refusal, told apart from one that does not answer:
 * its clients retry both until the connect deadline, when a request would fail as though nothing had
 * answered. A refused `AUTH` or ready check, or a failed TLS handshake, is the server's answer, and fails
 * what waits at once.
 */
import type Bottleneck from 'bottleneck';
import { redisClients } from './redis-disconnect.js';
import type { RedisLink } from './redis-link.js';

/** A Redis client's errors: an ioredis or node-redis v3 client. */
interface ErrorEvents {
  on(event: 'error', listener: (error: unknown) => void): unknown;
  off(event: 'error', listener: (error: unknown) => void): unknown;
}

/**
 * Calls `listener` with each refusal bottleneck's clients meet while they connect, as the `NetworkError`
 * a caller gets: an error reply (both clients speak redis-errors' `ReplyError`), `AUTH` or the ready
 * check refused; or a TLS handshake that failed. A refused connection or a lost one is not an answer,
 * and is left to the deadline. Returns what stops listening.
 */
export function onRefusal(bottleneck: Bottleneck, link: RedisLink, listener: (error: Error) => void): () => void {
  const onError = (error: unknown): void => {
    if (!(error instanceof Error)) return;
    if (error.name === 'ReplyError') listener(link.refused(error));
    else if (isTlsFailure(error)) listener(link.tlsFailed(error));
  };
  const clients = redisClients<ErrorEvents>(bottleneck);
  for (const one of clients) one.on('error', onError);
  return () => {
    for (const one of clients) one.off('error', onError);
  };
}

/**
 * Node's codes for a failed TLS handshake: OpenSSL's (`ERR_SSL_WRONG_VERSION_NUMBER`, a server that
 * does not speak TLS), its own (`ERR_TLS_CERT_ALTNAME_INVALID`), and the certificate checks' (OpenSSL's
 * X.509 names: `DEPTH_ZERO_SELF_SIGNED_CERT`, `CERT_HAS_EXPIRED`, `UNABLE_TO_GET_ISSUER_CERT_LOCALLY`...).
 */
const TLS_FAILURE = /^(?:ERR_SSL_|ERR_TLS_|UNABLE_TO_)|CERT|CRL|^(?:HOSTNAME_MISMATCH|INVALID_CA|INVALID_PURPOSE|PATH_LENGTH_EXCEEDED)$/;

function isTlsFailure(error: Error): boolean {
  const { code } = error as { code?: unknown };
  return typeof code === 'string' && TLS_FAILURE.test(code);
}
