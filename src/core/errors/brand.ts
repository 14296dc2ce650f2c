/**
 * How an error is known for what it is across copies of the package: the ES module and CommonJS builds
 * loaded in one process are two copies, and a bundled application may hold a third. Each error carries
 * the brands of its class and its parents under a `Symbol.for` key, which every copy shares.
 */
export const BRAND = Symbol.for('tributary.error');

export function brandsOf(ctor: unknown): readonly string[] {
  const names: string[] = [];
  let current = ctor as { brand?: string } | null;
  while (current && current !== Error && current !== Function.prototype) {
    if (Object.hasOwn(current, 'brand') && typeof current.brand === 'string') names.push(current.brand);
    current = Object.getPrototypeOf(current) as { brand?: string } | null;
  }
  return names;
}

export function hasBrand(value: unknown, name: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const brands = (value as { [BRAND]?: unknown })[BRAND];
  return Array.isArray(brands) && brands.includes(name);
}

/**
 * Gives a class its brand as its `name`: minified, it would be named `u` or `p`, and loggers (pino,
 * Sentry) report an error by `err.constructor.name`. Per class, where the bundler's `keepNames` would
 * wrap every function of the package.
 */
export function keepName(target: { brand: string }): void {
  Object.defineProperty(target, 'name', { value: target.brand });
}
