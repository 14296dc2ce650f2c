/**
 * How a credential (or the user it logs in) is named in a rate limiter's key. A shared limit keeps its
 * key in a store that others can read (Redis), so the name must not lead back to the credential: a
 * SHA-256 digest, under a context of its own so that it matches no digest of the same credential kept
 * elsewhere, cut to 128 bits, beyond any chance of two credentials meeting on one key. The same
 * credential gets the same name in every process, which is what makes them share its limit.
 */
import { hash } from 'node:crypto';

const CONTEXT = 'tributary rate-limit key v1\0';

export function credentialKey(credential: string): string {
  return hash('sha256', CONTEXT + credential, 'hex').slice(0, 32);
}
