/**
 * Runs a test body with the process in another time zone. A zone-less time read in the machine's zone
 * instead of UTC goes unseen on a UTC machine (CI), so such tests switch zone; Node applies a change of
 * `process.env.TZ` at once.
 */
export async function inTimeZone<T>(zone: string, body: () => T | Promise<T>): Promise<T> {
  const previous = process.env.TZ;
  process.env.TZ = zone;
  try {
    // A zone that did not take would let the test pass on a UTC machine without showing anything.
    if (new Date(Date.UTC(2026, 10, 23)).getTimezoneOffset() === 0) throw new Error(`time zone ${zone} did not take effect`);
    return await body();
  } finally {
    if (previous === undefined) delete process.env.TZ;
    else process.env.TZ = previous;
  }
}
