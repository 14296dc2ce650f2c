/** Redirects as fetch follows them, for the request pipeline and the testing kit's `fetch` alike. */

export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/**
 * Whether a redirect with `status` turns a request sent with `method` into a GET without a body:
 * fetch's rules, 303 always, 301 and 302 after a POST; 307 and 308 keep the method and the body.
 */
export function redirectsToGet(status: number, method: string): boolean {
  return status === 303 || ((status === 301 || status === 302) && method === 'POST');
}
