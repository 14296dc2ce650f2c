/**
 * The Keystone v3 identity service behind the FUJITSU emulator (VENDORS.md "FUJITSU"): password login at
 * `POST /v3/auth/tokens` answering `201` with the token in `X-Subject-Token`, tokens that expire, and the
 * account lockout after five failed logins in fifteen minutes (locked fifteen minutes, during which even
 * the right password is refused). Framework-free: `emulator.ts` translates requests into these calls.
 */
import { EmulatorHttpError } from '../../testing/responses.js';
import type { Rng } from '../../testing/rng.js';

/** A Keystone user allowed to log in, with the project its tokens are scoped to. */
export interface KeystoneUser {
  /**
   * The user name a login gives (`identity.userName` of the client).
   * @example { userName: 'collector', password: 'secret', domainName: 'contract-kx1234', projectId: DEFAULT_FUJITSU_TENANT }
   */
  userName: string;
  /**
   * The password; five wrong ones in fifteen minutes lock the user for fifteen minutes.
   * @example { userName: 'collector', password: 'secret', domainName: 'contract-kx1234', projectId: DEFAULT_FUJITSU_TENANT }
   */
  password: string;
  /**
   * The domain's name: the K5 contract number.
   * @example { userName: 'collector', password: 'secret', domainName: 'contract-kx1234', projectId: DEFAULT_FUJITSU_TENANT }
   */
  domainName: string;
  /**
   * The domain's id, for a login that names its domain as `domain: { id }`. In Keystone an id is not
   * the name, so without one such a login is refused.
   * @default undefined (logins by domain id are refused)
   * @example { domainId: '8f4b1c2d3e4f5a6b7c8d9e0f1a2b3c4d' }
   */
  domainId?: string | undefined;
  /**
   * The project the user's tokens are scoped to: they read only `/v1.0/{projectId}/events` (another
   * tenant's answers `403`), and a login scoped to another project answers `401`.
   * @example { userName: 'collector', password: 'secret', domainName: 'contract-kx1234', projectId: '0a1b2c3d4e5f60718293a4b5c6d7e8f9' } // another project
   */
  projectId: string;
}

export interface KeystoneOptions {
  users: readonly KeystoneUser[];
  /** Lifetime of an issued token, in milliseconds of the emulator clock. */
  tokenTtlMs: number;
  now: () => number;
  rng: Rng;
}

/** What a token grants. */
export interface TokenGrant {
  projectId: string;
  userName: string;
  /** The domain of the user who logged in; none for a pre-issued token. */
  domain?: { name: string; id?: string | undefined } | undefined;
  expiresAt: number;
}

/** Failed logins that lock an account, the window they are counted in, and how long it stays locked. */
const LOCKOUT_FAILURES = 5;
const LOCKOUT_WINDOW_MS = 15 * 60_000;
const LOCKOUT_DURATION_MS = 15 * 60_000;

const UNAUTHORIZED = 'The request you have made requires authentication.';

interface PasswordLogin {
  userName: string;
  password: string;
  /** The domain as the login names it: by name, or by id. */
  domain: { name: string } | { id: string };
  projectId: string | undefined;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** Reads `{ auth: { identity: { methods: ['password'], password: { user: { name, password, domain } } }, scope } }`. */
function parseLogin(body: unknown): PasswordLogin {
  const identity = field(field(body, 'auth'), 'identity');
  const methods = field(identity, 'methods');
  const user = field(field(identity, 'password'), 'user');
  const name = field(user, 'name');
  const password = field(user, 'password');
  const domainField = field(user, 'domain');
  const domainName = field(domainField, 'name');
  const domainId = field(domainField, 'id');
  const projectId = field(field(field(field(body, 'auth'), 'scope'), 'project'), 'id');
  if (!Array.isArray(methods) || !methods.includes('password')) {
    throw new EmulatorHttpError(400, 'Expecting to find identity.methods containing "password" in auth.');
  }
  const domain = typeof domainName === 'string' ? { name: domainName } : typeof domainId === 'string' ? { id: domainId } : undefined;
  if (typeof name !== 'string' || typeof password !== 'string' || domain === undefined) {
    throw new EmulatorHttpError(400, 'Expecting to find user name, password and domain in identity.password.user.');
  }
  if (projectId !== undefined && typeof projectId !== 'string') {
    throw new EmulatorHttpError(400, 'scope.project.id must be a string.');
  }
  return { userName: name, password, domain, projectId };
}

export class KeystoneState {
  private readonly tokens = new Map<string, TokenGrant>();
  private readonly failures = new Map<string, number[]>();
  private readonly lockedUntil = new Map<string, number>();
  /** Logins attempted, successful or not: tests check that a refused login is never repeated. */
  loginAttempts = 0;

  constructor(private readonly options: KeystoneOptions) {}

  /** Handles a login body; returns the new token and its grant, or throws the vendor's error. */
  login(body: unknown): { token: string; grant: TokenGrant; issuedAt: number } {
    this.loginAttempts += 1;
    const login = parseLogin(body);
    const now = this.options.now();
    const { domain } = login;
    const user = this.options.users.find(
      (candidate) =>
        candidate.userName === login.userName &&
        ('name' in domain ? candidate.domainName === domain.name : candidate.domainId !== undefined && candidate.domainId === domain.id),
    );
    // The lock is the account's, however a login names its domain: counted by the spelling, five bad
    // passwords by name and five by id were ten without a lock.
    const account =
      user !== undefined ? `${user.domainName}/${user.userName}` : `${'name' in domain ? domain.name : `id:${domain.id}`}/${login.userName}`;
    const locked = this.lockedUntil.get(account);
    if (locked !== undefined && locked > now) {
      throw new EmulatorHttpError(401, `The account is locked for user: ${login.userName}.`);
    }
    if (user === undefined || user.password !== login.password) {
      const recent = (this.failures.get(account) ?? []).filter((at) => at > now - LOCKOUT_WINDOW_MS);
      recent.push(now);
      this.failures.set(account, recent);
      if (recent.length >= LOCKOUT_FAILURES) this.lockedUntil.set(account, now + LOCKOUT_DURATION_MS);
      throw new EmulatorHttpError(401, UNAUTHORIZED);
    }
    if (login.projectId !== undefined && login.projectId !== user.projectId) {
      throw new EmulatorHttpError(401, `User ${user.userName} has no access to project ${login.projectId}.`);
    }
    this.failures.delete(account);
    const token = `gAAAAA${this.options.rng.hex(40)}`;
    const grant = {
      projectId: user.projectId,
      userName: user.userName,
      domain: { name: user.domainName, id: user.domainId },
      expiresAt: now + this.options.tokenTtlMs,
    };
    this.tokens.set(token, grant);
    return { token, grant, issuedAt: now };
  }

  /** Adds a long-lived token scoped to `projectId`, as a caller holding a pre-issued token has. */
  issue(token: string, projectId: string, ttlMs = Number.POSITIVE_INFINITY): void {
    this.tokens.set(token, { projectId, userName: 'preissued', expiresAt: this.options.now() + ttlMs });
  }

  /** The grant of a valid token; throws `401` for a missing, unknown or expired one. */
  verify(token: string | null): TokenGrant {
    const grant = token === null ? undefined : this.tokens.get(token);
    if (grant === undefined || grant.expiresAt <= this.options.now()) {
      throw new EmulatorHttpError(401, 'This server could not verify that you are authorized to access the document you requested.');
    }
    return grant;
  }

  /** Expires every issued token now, as a restarted identity service or a revocation does. */
  expireAll(): void {
    const now = this.options.now();
    for (const grant of this.tokens.values()) grant.expiresAt = Math.min(grant.expiresAt, now);
  }

  /** Whether an account is locked at the emulator clock's now. */
  isLocked(domainName: string, userName: string): boolean {
    return (this.lockedUntil.get(`${domainName}/${userName}`) ?? 0) > this.options.now();
  }
}
