/**
 * A tiny router for emulator handlers: method + path pattern with `:params`, answering 404 for an
 * unknown path and 405 (with `Allow`) for a known path and another method, through `EmulatorHttpError`
 * so the vendor's error body is used.
 */
import { EmulatorHttpError } from './responses.js';

/** What a route handler gets. */
export interface RouteRequest<C> {
  readonly request: Request;
  readonly url: URL;
  /** Decoded path parameters: `/orgs/:orgId/events` matched by `/orgs/1/events` gives `{ orgId: '1' }`. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The emulator context passed to `handle`. */
  readonly context: C;
}

export type RouteHandler<C> = (route: RouteRequest<C>) => Response | Promise<Response>;

export interface Router<C> {
  /**
   * Adds a route. `pattern` segments starting with `:` capture one segment; a final `*` captures the
   * rest of the path as `params['*']`.
   * @example router.on('GET', '/api/v2/orgs/:orgId/events', ({ params }) => ...)
   */
  on(method: string, pattern: string, handler: RouteHandler<C>): Router<C>;
  get(pattern: string, handler: RouteHandler<C>): Router<C>;
  post(pattern: string, handler: RouteHandler<C>): Router<C>;
  delete(pattern: string, handler: RouteHandler<C>): Router<C>;
  /** Dispatches `request`; throws `EmulatorHttpError` 404 or 405 when no route takes it. */
  handle(request: Request, context: C): Promise<Response>;
}

interface Route<C> {
  method: string;
  segments: readonly string[];
  handler: RouteHandler<C>;
}

function split(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function match(segments: readonly string[], path: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as string;
    if (segment === '*' && i === segments.length - 1) {
      params['*'] = path.slice(i).map(decodeURIComponent).join('/');
      return params;
    }
    const part = path[i];
    if (part === undefined) return undefined;
    if (segment.startsWith(':')) params[segment.slice(1)] = decodeURIComponent(part);
    else if (segment !== part) return undefined;
  }
  return segments.length === path.length ? params : undefined;
}

/**
 * @example
 * const router = createRouter<EmulatorContext<Store, Options>>()
 *   .get('/api/v1/events', ({ query, context }) => json(list(context.store, query)))
 *   .get('/api/v1/events/:id', ({ params, context }) => json(find(context.store, params['id'])));
 */
export function createRouter<C>(): Router<C> {
  const routes: Route<C>[] = [];
  const router: Router<C> = {
    on(method, pattern, handler) {
      routes.push({ method: method.toUpperCase(), segments: split(pattern), handler });
      return router;
    },
    get: (pattern, handler) => router.on('GET', pattern, handler),
    post: (pattern, handler) => router.on('POST', pattern, handler),
    delete: (pattern, handler) => router.on('DELETE', pattern, handler),
    async handle(request, context) {
      const url = new URL(request.url);
      let path: string[];
      try {
        path = split(url.pathname);
      } catch {
        throw new EmulatorHttpError(400, 'Malformed path');
      }
      path.forEach(decodedSegment);
      const allowed = new Set<string>();
      for (const route of routes) {
        const params = match(route.segments, path);
        if (!params) continue;
        // HEAD is served by the GET route, as HTTP servers do.
        const method = request.method.toUpperCase();
        if (route.method === method || (method === 'HEAD' && route.method === 'GET')) {
          return route.handler({ request, url, params, query: url.searchParams, context });
        }
        allowed.add(route.method);
      }
      if (allowed.size > 0) {
        throw new EmulatorHttpError(405, `Method ${request.method} not allowed`, { Allow: [...allowed].join(', ') });
      }
      throw new EmulatorHttpError(404, `No resource at ${url.pathname}`);
    },
  };
  return router;
}

/** A path segment decoded; a malformed escape (`%E0%A4%A`) is the client's mistake, a 400. */
export function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new EmulatorHttpError(400, 'Malformed path');
  }
}
