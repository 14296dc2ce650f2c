/**
 * The Redis-shared limiter's side of its connection, for when the server goes away or stops answering.
 * Left to the client, a request waited for as long as the server stayed away: ioredis keeps a command
 * queued while it reconnects (some 10 s by default, then fails it with its own error), a server that
 * stops without closing the connection is waited for without end, and a job queued in bottleneck waits
 * for a capacity message that a lost subscriber never receives. So every command, the limiter's own
 * and bottleneck's scripts alike, is answered within `connectTimeout` or fails with a `NetworkError`
 * naming the server, as a server that does not answer at connect time does; and when a command goes
 * unanswered that long, or the connection stays closed that long, the requests waiting for their turn
 * fail too, and new ones at once, until the server answers again (the client reconnects meanwhile).
 * These do not depend on the client's settings: its `clientOptions` keep the meaning the application
 * gave them.
 */
import type Bottleneck from 'bottleneck';
import { NetworkError } from '../errors.js';
import { annotate } from '../retry.js';
import type { RedisCommands, Reply } from './redis-pause.js';

/** A client's connection events: an ioredis or node-redis v3 client. */
export interface ConnectionEvents {
  on(event: string, listener: () => void): unknown;
}

/**
 * bottleneck recovers from these by itself (it makes the key's state again, registers the process
 * again), but it compares the whole message, and Redis 7 puts "ERR " before a script's error: with the
 * prefix left on, a server restarted or flushed failed every later request of the limiter.
 */
const RECOVERABLE = /^(?:ERR )?(SETTINGS_KEY_NOT_FOUND|UNKNOWN_CLIENT)$/;

export class RedisLink {
  /** Connections that closed and are not ready again. */
  readonly #down = new Set<ConnectionEvents>();
  #outage: ReturnType<typeof setTimeout> | undefined;
  #unreachable = false;
  #closed = false;
  /** Fails what waits for the server; set by the limiter once it is built. */
  #unreachableListener: (() => void) | undefined;

  /**
   * @param server `host:port`, no credential
   * @param timeoutMs how long anything waits for the server
   * @param overTls whether the client speaks TLS to it
   */
  constructor(
    readonly server: string,
    readonly timeoutMs: number,
    readonly overTls = false,
  ) {}

  /** Whether the server is known not to answer: a new job fails at once rather than wait for it. */
  get unreachable(): boolean {
    return this.#unreachable;
  }

  /**
   * Why a job fails when the server does not answer; a new error each time, so each job has its own
   * stack. Not retried: the vendor was not reached, and a retry would only wait for Redis again.
   */
  unanswered(): NetworkError {
    // redis-server reads a TLS handshake as the start of a command line that never ends, and answers
    // nothing: reached with `tls`, a plain server cannot be told from a silent one but by this hint.
    const hint = this.overTls ? ': reached with `tls`, a server that does not speak TLS answers nothing either' : '';
    return annotate(new NetworkError(`the Redis server of the shared rate limit (${this.server}) did not answer within ${this.timeoutMs} ms${hint}`), { final: true });
  }

  /** A command's failure (connection lost, an error reply), as the `NetworkError` a caller gets. */
  failed(error: unknown): NetworkError {
    const message = error instanceof Error ? error.message : String(error);
    return annotate(new NetworkError(`the Redis server of the shared rate limit (${this.server}) failed: ${message}`, { cause: error }), { final: true });
  }

  /**
   * The server's refusal of the connection (a wrong or missing password, an ACL user disabled), as
   * the `NetworkError` a caller gets: its message only, for the client keeps the refused `AUTH`
   * command, password included, on the error it reports.
   */
  refused(error: Error): NetworkError {
    return annotate(new NetworkError(`the Redis server of the shared rate limit (${this.server}) refused the connection: ${error.message}`), { final: true });
  }

  /**
   * A TLS handshake that failed (a server that does not speak TLS, a certificate the client does not
   * trust), as the `NetworkError` a caller gets: OpenSSL's reason (its message adds its internals'
   * file and line) or the certificate check's, and Node's code.
   */
  tlsFailed(error: Error): NetworkError {
    const { code, reason } = error as { code?: unknown; reason?: unknown };
    const said = typeof reason === 'string' ? reason : error.message;
    const named = typeof code === 'string' ? ` (${code})` : '';
    return annotate(new NetworkError(`the Redis server of the shared rate limit (${this.server}) failed the TLS handshake: ${said}${named}`), { final: true });
  }

  /** `listener` is called when the server did not answer within the bound, to fail what waits for it. */
  onUnreachable(listener: () => void): void {
    this.#unreachableListener = listener;
  }

  /** `reply`, called within the bound, with a `NetworkError` for any failure bottleneck does not recover from. */
  bound(reply: Reply): Reply {
    let waiting = true;
    const timer = setTimeout(() => {
      waiting = false;
      this.#lost();
      reply(this.unanswered(), null);
    }, this.timeoutMs);
    // A pending command keeps the process alive by its connection; its bound need not.
    timer.unref();
    return (error, value) => {
      if (!waiting) return;
      waiting = false;
      clearTimeout(timer);
      if (!error) {
        this.#unreachable = false;
        reply(null, value);
        return;
      }
      const recoverable = RECOVERABLE.exec(error.message)?.[1];
      reply(recoverable === undefined ? this.failed(error) : new Error(recoverable), value);
    };
  }

  /** `client`'s commands, each under the bound. */
  commands(client: RedisCommands): RedisCommands {
    return {
      get: (key, reply) => client.get(key, this.bound(reply)),
      eval: (script, keys, ...args) => {
        const reply = args.pop() as Reply;
        return client.eval(script, keys, ...(args as string[]), this.bound(reply));
      },
    };
  }

  /**
   * Follows a connection: closed for the whole bound, the server is unreachable; ready again, it is
   * back (bottleneck's heartbeat then has every process look at its queue again).
   */
  watch(connection: ConnectionEvents): void {
    const closed = (): void => {
      if (this.#closed) return;
      this.#down.add(connection);
      if (this.#outage !== undefined) return;
      this.#outage = setTimeout(() => this.#lost(), this.timeoutMs);
      this.#outage.unref();
    };
    connection.on('close', closed);
    connection.on('end', closed);
    connection.on('ready', () => {
      if (this.#closed || !this.#down.delete(connection) || this.#down.size > 0) return;
      clearTimeout(this.#outage);
      this.#outage = undefined;
      this.#unreachable = false;
    });
  }

  /** Stops following the connections, which are about to be closed on purpose. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#outage);
  }

  #lost(): void {
    if (this.#closed) return;
    this.#unreachable = true;
    this.#unreachableListener?.();
  }
}

/*
 * bottleneck 2.19.5 runs every script through its connection's `__scriptArgs__`, which takes the reply
 * callback last: wrapping it puts bottleneck's scripts under the link's bound too.
 * test/core/rate-limit-internals.test.ts fails if it moves.
 */
interface ScriptConnection {
  __scriptArgs__(name: string, id: string, args: unknown[], reply: Reply): unknown[];
}

/**
 * Puts every script `bottleneck` runs under `link`'s bound; call it before the limiter is ready.
 * `stateLost` is called when bottleneck's heartbeat finds the key's state gone (a server restarted
 * empty, a FLUSHALL): bottleneck then lets the heartbeat pass, where any other script makes the state again.
 */
export function boundScripts(bottleneck: Bottleneck, link: RedisLink, stateLost: () => void): void {
  const connection = (bottleneck as unknown as { _store: { connection: ScriptConnection } })._store.connection;
  const scriptArgs = connection.__scriptArgs__.bind(connection);
  const heartbeat = (reply: Reply): Reply => (error, value) => {
    if (error?.message === 'SETTINGS_KEY_NOT_FOUND') stateLost();
    reply(error, value);
  };
  connection.__scriptArgs__ = (name, id, args, reply) => scriptArgs(name, id, args, link.bound(name === 'heartbeat' ? heartbeat(reply) : reply));
}
