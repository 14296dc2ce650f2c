/**
 * Disconnecting a limiter's Redis clients so that nothing of them is left running once it resolves.
 * bottleneck's `disconnect(false)` resolves at once, before the sockets have closed; a client whose
 * handshake the close cut short (a limiter still being built) settles its ready check's command as its
 * socket closes, and ioredis then disconnects it again, with a timer of its own: `closeRateLimiters()`
 * had resolved with that still to come.
 */
import type Bottleneck from 'bottleneck';

/**
 * ioredis's wait, on disconnecting, for its socket to close before it destroys it (its own default is
 * 2 s). A socket that had closed already (a refused or lost connection) never closes again, so the
 * whole wait kept the process alive after `closeRateLimiters()`. The limiter disconnects without
 * `QUIT`, so nothing is lost by a short one; `clientOptions.disconnectTimeout` still overrides it.
 */
export const DISCONNECT_TIMEOUT_MS = 200;

/** An ioredis client's end; a node-redis v3 client has no `status`, and is not waited for. */
interface Ending {
  once(event: 'end', listener: () => void): unknown;
  status?: string;
}

/** ioredis's states with a socket open or opening, whose close ends the client. */
const OPEN = new Set(['connecting', 'connect', 'ready']);

/**
 * Disconnects without `QUIT` and waits for the end of each client that had a socket, at most until
 * ioredis destroys one that does not close (a client reconnecting has none left to close, and ends
 * no more), then for one turn of the event loop, in which the client settles the commands its end
 * failed.
 */
export async function disconnectClients(bottleneck: Bottleneck): Promise<void> {
  const ended = redisClients<Ending>(bottleneck).flatMap((one) =>
    one !== undefined && OPEN.has(one.status ?? '') ? [new Promise<void>((resolve) => one.once('end', resolve))] : [],
  );
  await bottleneck.disconnect(false);
  if (ended.length > 0) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const destroyed = new Promise<void>((resolve) => (timer = setTimeout(resolve, DISCONNECT_TIMEOUT_MS + 50)));
    await Promise.race([Promise.all(ended), destroyed]);
    clearTimeout(timer);
  }
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * The Redis clients of a limiter (its commands' and its subscriber), as `T`: bottleneck's `clients()`
 * names them once ready only; its connection has them from the start.
 */
export function redisClients<T>(bottleneck: Bottleneck): T[] {
  const { client, subscriber } = (bottleneck as unknown as { _store: { connection?: Record<'client' | 'subscriber', T | undefined> } })._store.connection ?? {};
  return [client, subscriber].filter((one) => one !== undefined);
}
