/**
 * The most requests a set of calls has in flight at once: a `fetch` that holds each request until the
 * test lets it go, then hands it to the emulator's.
 */

/**
 * Starts `calls` with the holding `fetch`, reads how many are in flight once they have settled into the
 * limiter, then lets every request go until all are answered.
 * @example const { inFlight, most } = await heldInFlight(emulator.fetch, (fetch) => [client(fetch).events.get(id)]);
 */
export async function heldInFlight(
  target: typeof globalThis.fetch,
  calls: (fetch: typeof globalThis.fetch) => Array<Promise<unknown>>,
): Promise<{ inFlight: number; most: number }> {
  let inFlight = 0;
  let most = 0;
  const release: Array<() => void> = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    most = Math.max(most, ++inFlight);
    await new Promise<void>((resolve) => release.push(resolve));
    inFlight--;
    return target(input, init);
  };
  const started = calls(fetch);
  await new Promise((resolve) => setTimeout(resolve, 20));
  const settled = inFlight;
  const drain = async (): Promise<void> => {
    while (release.length > 0 || inFlight > 0) {
      release.splice(0).forEach((go) => go());
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  await Promise.all([drain(), ...started]);
  return { inFlight: settled, most };
}
