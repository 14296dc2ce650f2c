/**
 * The renewal of what a process holds in Redis for a while only (its slots' leases, redis-lease.ts; its
 * places in flight in the shared window, redis-window.ts): every third of a lease while something is
 * held, so that a process that dies leaves nothing held for more than a lease.
 */
export class Renewal {
  #timer: ReturnType<typeof setInterval> | undefined;
  #renewing = false;

  /** @param renew one renewal; one that fails leaves what it renews to lapse a lease later. */
  constructor(
    private readonly leaseMs: number,
    private readonly renew: () => Promise<unknown>,
  ) {}

  /** Renews from now on, until `stop()`; does nothing while already renewing. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      // One renewal at a time: while the server does not answer, they would only pile up in its queue.
      if (this.#renewing) return;
      this.#renewing = true;
      void this.renew()
        .catch(() => undefined)
        .finally(() => (this.#renewing = false));
    }, this.leaseMs / 3);
    // What is held keeps the process alive (a request in flight); its renewal need not.
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
