/**
 * Authentication checks for emulator handlers. Each returns the credential's key (for a per-credential
 * rate limit) or throws an `EmulatorHttpError` 401, which `defineEmulator` answers with the vendor's
 * error body (`errorResponse`), so every vendor's 401 looks like its own. Messages never echo the
 * credential that was sent.
 */
import { EmulatorHttpError } from './responses.js';

/** Accepted Basic credentials: one pair, a list of pairs, or a predicate. */
export type BasicAccept =
  | { user: string; password: string }
  | readonly { user: string; password: string }[]
  | ((user: string, password: string) => boolean);

/** Accepted tokens: one, a list, or a predicate. */
export type TokenAccept = string | readonly string[] | ((token: string) => boolean);

function basicAccepted(accept: BasicAccept, user: string, password: string): boolean {
  if (typeof accept === 'function') return accept(user, password);
  const list = Array.isArray(accept) ? accept : [accept as { user: string; password: string }];
  return list.some((entry) => entry.user === user && entry.password === password);
}

function tokenAccepted(accept: TokenAccept, token: string): boolean {
  if (typeof accept === 'function') return accept(token);
  return typeof accept === 'string' ? accept === token : accept.includes(token);
}

/**
 * Requires HTTP Basic credentials (Illumio API keys, Informatica users).
 * @returns the user name, the key of the credential
 * @example const user = requireBasic(request, { user: 'api_1a2b', password: 'secret' });
 */
export function requireBasic(request: Request, accept: BasicAccept, realm = 'api'): string {
  const challenge = { 'WWW-Authenticate': `Basic realm="${realm}"` };
  const header = request.headers.get('authorization') ?? '';
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) throw new EmulatorHttpError(401, 'Authentication required', challenge);
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  if (!basicAccepted(accept, user, password)) throw new EmulatorHttpError(401, 'Invalid credentials', challenge);
  return user;
}

/**
 * Requires `Authorization: Bearer <token>` (Socotra, current Tines).
 * @returns the token, the key of the credential
 * @example requireBearer(request, (token) => store.tokens.has(token))
 */
export function requireBearer(request: Request, accept: TokenAccept): string {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new EmulatorHttpError(401, 'Authentication required', { 'WWW-Authenticate': 'Bearer' });
  const token = match[1] as string;
  if (!tokenAccepted(accept, token)) {
    throw new EmulatorHttpError(401, 'Invalid token', { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
  }
  return token;
}

/**
 * Requires a credential in a header of its own (`X-Auth-Token` for Keystone, `X-User-Token` for older
 * Tines tenants).
 * @returns the header's value, the key of the credential
 * @example requireHeader(request, 'X-Auth-Token', (token) => store.tokens.isValid(token))
 */
export function requireHeader(request: Request, name: string, accept: TokenAccept): string {
  const value = request.headers.get(name);
  if (value === null || value === '') throw new EmulatorHttpError(401, `Missing ${name} header`);
  if (!tokenAccepted(accept, value)) throw new EmulatorHttpError(401, `Invalid ${name}`);
  return value;
}
