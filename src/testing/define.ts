/**
 * `defineEmulator`: what a provider writes to get an emulator with the common surface. The provider
 * supplies its store (built from a seeded generator) and its handler; the kit adds request recording,
 * fault injection, `EmulatorHttpError` handling and the three adapters.
 *
 * Provider emulators import this file (and the other building blocks) directly, never
 * `testing/index.ts`, which imports the registry and so every provider: that would be a cycle.
 */
import { toFetch } from './fetch-adapter.js';
import { applyFaults, type ErrorResponder } from './inject.js';
import { createFaultController } from './faults.js';
import { toMswHandlers } from './msw-adapter.js';
import type { OptionRule } from './option-rules.js';
import { resolveEmulatorOptions, UNRECORDED_REQUESTS } from './options.js';
import { recordRequest, type RecordedRequest } from './recorder.js';
import { defaultErrorResponse, EmulatorHttpError } from './responses.js';
import { createRng, type Rng } from './rng.js';
import { listen } from './server.js';
import type {
  Emulator,
  EmulatorContext,
  EmulatorDefinition,
  EmulatorHandler,
  EmulatorOptions,
  EmulatorTarget,
  ResolvedEmulatorOptions,
} from './types.js';

/** What a provider writes. `S` is its store, `O` its own options beside the common ones. */
export interface EmulatorSpec<S, O extends object = Record<never, never>> {
  /**
   * Whose API the emulator serves: a vendor, or `'generic'` for an API of your own; `emulator.provider`
   * and the emulator's own failures name it.
   * @example 'generic'
   */
  readonly provider: EmulatorTarget;
  /**
   * The vendor's example base URL, used by msw when no `baseUrl` is given.
   * @example 'https://pce.example.com:8443'
   */
  readonly baseUrl: string;
  /**
   * Other origins of the vendor's API that the emulator serves beside a base URL, which `msw()`
   * intercepts with it (FUJITSU logs in on its region's identity host, beside the database host).
   * @default none
   * @example companions: (base) => [`${base.protocol}//login.${base.host}`]
   */
  readonly companions?: ((baseUrl: URL) => readonly string[]) | undefined;
  /**
   * Every option of `O` by name: its rule (the vendor emulators' tables), `true` (any value, for
   * `createStore` to check) or the names of its members when it takes an object; any other option, or
   * member, is then a `ConfigurationError` naming it, and so is a value its rule refuses.
   * @default none: options beside the common ones are not checked
   * @example options: { token: true, rateLimit: ['requests', 'interval'] }
   */
  readonly options?: { readonly [K in keyof O]-?: OptionRule | true | readonly string[] } | undefined;
  /**
   * Builds the initial store: `options.events` events drawn from `rng`. Called by `create` and by
   * `reset()`. Throws a `ConfigurationError` naming any vendor option that is invalid.
   */
  createStore(setup: { options: ResolvedEmulatorOptions & O; rng: Rng }): S;
  /**
   * Answers one request; faults have already been applied. Throw `EmulatorHttpError` for an error
   * status: it is answered with `errorResponse`.
   */
  handle(request: Request, context: EmulatorContext<S, O>): Response | Promise<Response>;
  /**
   * The vendor's error body for a status and message (used for `EmulatorHttpError`, status and 429
   * faults).
   * @default `{ "error": { "status", "message" } }` as JSON
   * @example errorResponse: (status, message, headers) => json({ code: status, detail: message }, { status, headers })
   */
  errorResponse?: ErrorResponder | undefined;
}

/** A salt so the answer generator's stream differs from the store generator's for the same seed. */
const ANSWER_STREAM = 0x5bd1e995;

/**
 * Declares a vendor emulator.
 * @example
 * export const illumioEmulator = defineEmulator<IllumioStore, IllumioEmulatorOptions>({
 *   provider: 'illumio',
 *   baseUrl: 'https://pce.example.com:8443',
 *   createStore: ({ options, rng }) => createIllumioStore(options, rng),
 *   handle: (request, context) => router.handle(request, context),
 * });
 * const emulator = illumioEmulator.create({ seed: 7, events: 200 });
 */
export function defineEmulator<S, O extends object = Record<never, never>>(spec: EmulatorSpec<S, O>): EmulatorDefinition<S, O> {
  return {
    provider: spec.provider,
    baseUrl: spec.baseUrl,
    create: (options?: EmulatorOptions & O) => createFromSpec(spec, options ?? ({} as EmulatorOptions & O)),
  };
}

function createFromSpec<S, O extends object>(spec: EmulatorSpec<S, O>, options: EmulatorOptions & O): Emulator<S> {
  const resolved: ResolvedEmulatorOptions & O = { ...options, ...resolveEmulatorOptions(options, spec.baseUrl, spec.options) };
  const { clock, seed } = resolved;
  const errorResponse = spec.errorResponse ?? defaultErrorResponse;
  const build = () => ({
    store: spec.createStore({ options: resolved, rng: createRng(seed) }),
    rng: createRng(seed ^ ANSWER_STREAM),
  });
  let state = build();
  const requests: RecordedRequest[] = [];
  const recording = (options as { [UNRECORDED_REQUESTS]?: unknown })[UNRECORDED_REQUESTS] !== true;
  const faults = createFaultController(seed);
  const context: EmulatorContext<S, O> = {
    get store() {
      return state.store;
    },
    get rng() {
      return state.rng;
    },
    clock,
    options: resolved,
  };

  const answer = async (request: Request): Promise<Response> => {
    let response: unknown;
    try {
      response = await spec.handle(request, context);
    } catch (error) {
      if (error instanceof EmulatorHttpError) return errorResponse(error.status, error.message, error.headers, request, state.rng, clock);
      throw error;
    }
    // A route that forgot its `return`: a clear failure of this request (a 500 from the server and msw,
    // a rejection from `fetch`), not an unhandled rejection that ends the test process.
    if (!(response instanceof Response)) {
      throw new TypeError(`the ${spec.provider} emulator answered ${request.method} ${new URL(request.url).pathname} with no Response`);
    }
    return response;
  };

  const handle: EmulatorHandler = async (request) => {
    if (recording) requests.push(await recordRequest(request, clock.now()));
    const response = await applyFaults(faults.decide(request), request, clock, errorResponse, state.rng, () => answer(request));
    // A server with a clock dates every answer (RFC 9110 §6.6.1), by the emulator's clock: one adapter
    // does not date it by the machine's while the others leave it undated, and a Retry-After date of a
    // status fault is read against the same clock through all three.
    const dated = response.headers.has('date') ? response.headers : new Headers(response.headers);
    if (!response.headers.has('date')) dated.set('date', new Date(clock.now()).toUTCString());
    // An answer to HEAD has no body, in process as over the socket (the server sends none).
    const head = request.method === 'HEAD' && response.body !== null;
    return head || dated !== response.headers
      ? new Response(head ? null : response.body, { status: response.status, statusText: response.statusText, headers: dated })
      : response;
  };

  return {
    provider: spec.provider,
    handle,
    fetch: toFetch(handle),
    msw: async (baseUrl = resolved.baseUrl) => {
      const origins = [baseUrl, ...(URL.canParse(baseUrl) ? (spec.companions?.(new URL(baseUrl)) ?? []) : [])];
      return (await Promise.all(origins.map((origin) => toMswHandlers(handle, origin)))).flat();
    },
    listen: (listenOptions) => listen(handle, listenOptions),
    get store() {
      return state.store;
    },
    requests,
    faults: faults.controller,
    reset() {
      state = build();
      requests.length = 0;
      faults.controller.clear();
    },
  };
}
