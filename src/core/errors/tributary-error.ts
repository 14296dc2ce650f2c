import { redact } from '../redact.js';
import { BRAND, brandsOf, hasBrand, keepName } from './brand.js';
import { redactedCause } from './redacted-cause.js';

export type ProviderName = 'socotra' | 'tines' | 'fujitsu' | 'illumio' | 'informatica';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/** What every error constructor takes beside its message. */
export interface TributaryErrorOptions {
  /**
   * The vendor whose client raised the error.
   * @default undefined (no vendor's)
   * @example { provider: 'illumio' }
   */
  provider?: ProviderName | undefined;
  /**
   * The client operation that failed.
   * @default undefined (named by the client the error passes through)
   * @example { operation: 'events.list' }
   */
  operation?: string | undefined;
  /**
   * The error behind this one; kept as a copy with credentials removed.
   * @default undefined (none)
   * @example { cause: error }
   */
  cause?: unknown;
}

export class TributaryError extends Error {
  /**
   * The class's name, spelled out: `error.name` and the `is*` guards use it, and a minifier (ours, or an
   * application's bundler) renames classes.
   */
  static readonly brand: string = 'TributaryError';
  static {
    keepName(this);
  }
  /** The vendor whose client raised the error, when there is one. */
  readonly provider: ProviderName | undefined;
  /** The client operation, such as `events.list`. */
  readonly operation: string | undefined;
  /**
   * @internal Left out of the published types, as the inspect method below: each build's declarations
   * name their own symbol, so an error typed by the CommonJS build would not be the ES module build's.
   */
  declare readonly [BRAND]: readonly string[];
  /**
   * Never set: the classes it names, for the type checker only. Without it a class that adds no field
   * (`NotFoundError`, `NetworkError`) has its parent's members, so a failed guard
   * (`if (isNotFoundError(error)) return;`) left `error` typed `never`. A string key, unlike the brand
   * symbol, is the same in the declarations of both builds.
   */
  declare readonly '~classes'?: { readonly TributaryError: true };

  /**
   * `instanceof` by brand, as the `is*` guards check: an error of the CommonJS build is then an
   * instance of the ES module build's classes (both may load in one process), and of another copy of
   * the package. Each subclass inherits it and checks its own brand. A subclass without a brand of its
   * own (an application's) would otherwise match every error of its parent, so it, and a value without
   * a brand, fall back to the prototype chain.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Object.hasOwn(this, 'brand') && hasBrand(value, this.brand)) return true;
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }

  constructor(message: string, options: TributaryErrorOptions = {}) {
    super(redact(message), options.cause === undefined ? undefined : { cause: redactedCause(options.cause) });
    this.name = (new.target as typeof TributaryError).brand;
    this.provider = options.provider;
    this.operation = options.operation;
    Object.defineProperty(this, BRAND, { value: brandsOf(new.target), enumerable: false });
  }

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (value !== undefined) out[key] = value;
    }
    return out;
  }

  /** @internal */
  [inspectSymbol](): string {
    return `${this.stack ?? `${this.name}: ${this.message}`}\n${JSON.stringify(this.toJSON(), null, 2)}`;
  }
}

/**
 * Names the client and the operation on an error whose check knew neither: an option's or a query's
 * check is a plain function of its value, and the client that called it says whose value it was. A
 * name already given is kept, and an operation is named only on an error of this provider.
 */
export function nameContext(error: unknown, provider: ProviderName, operation: string | undefined): void {
  if (!hasBrand(error, 'TributaryError')) return;
  // Public fields are read-only for callers; this fills them in before the error reaches one.
  const fields = error as { provider: ProviderName | undefined; operation: string | undefined };
  fields.provider ??= provider;
  if (operation !== undefined && fields.provider === provider) fields.operation ??= operation;
}

export const isTributaryError = (value: unknown): value is TributaryError => hasBrand(value, 'TributaryError');
