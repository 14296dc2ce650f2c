/**
 * The credentials a client sends, known to redaction (redact.ts) by value: every error, log line and
 * hook payload is scrubbed of them, including a token renewed mid-listing and one an answer echoes back.
 */
import { heldBy, registerSecret } from './redact.js';

/** One credential header value of a client: registered for redaction while current or in use. */
interface HeldValue {
  value: string;
  release: () => void;
  /** Requests that sent it and are not over yet. */
  uses: number;
}

/** A client's credential header values, registered for redaction. */
export interface CredentialRegistry {
  /** Registers the values of `headers` (once each) and counts a use of them, until `done(headers)`. */
  use(headers: Record<string, string>): void;
  done(headers: Record<string, string>): void;
}

/**
 * Every credential header value (and the secret inside a Bearer/Basic value) is redacted from then on,
 * for as long as the client lives: its registrations are released once the registry returned here,
 * which the client's requests hold, is garbage-collected. Of a header whose value changes (a renewed
 * Keystone token) the last two values are kept, and an older one until the requests that sent it are
 * over: their errors are redacted when built, and an answer may echo the value it was sent with. Auth
 * providers build a fresh header object per attempt, so values already seen by this client are found
 * by value: parsing and registering them again cost a few microseconds a request.
 */
export function credentialRegistry(): CredentialRegistry {
  // Per header name: its values, oldest first; all but the last two are only there while in use.
  const known = new Map<string, HeldValue[]>();
  const registry: CredentialRegistry = {
    use(headers) {
      for (const key in headers) {
        const value = headers[key] as string;
        let values = known.get(key);
        if (values === undefined) known.set(key, (values = []));
        const held = heldValue(values, value);
        if (held !== undefined) {
          held.uses += 1;
          continue;
        }
        values.push({ value, release: register(...credentialForms(value)), uses: 1 });
        settle(values);
      }
    },
    done(headers) {
      for (const key in headers) {
        const values = known.get(key);
        const held = values === undefined ? undefined : heldValue(values, headers[key] as string);
        if (values === undefined || held === undefined) continue;
        held.uses -= 1;
        settle(values);
      }
    },
  };
  const releases = heldBy(registry);
  /** A registration released with the others once the registry is collected, or on its own before. */
  const register = (...forms: string[]): (() => void) => {
    const release = registerSecret(...forms);
    releases.push(release);
    return () => {
      const index = releases.indexOf(release);
      if (index >= 0) releases.splice(index, 1);
      release();
    };
  };
  /** Releases the values older than the last two that no request uses any longer. */
  const settle = (values: HeldValue[]): void => {
    for (let index = values.length - 3; index >= 0; index -= 1) {
      const old = values[index] as HeldValue;
      if (old.uses > 0) continue;
      values.splice(index, 1);
      old.release();
    }
  };
  return registry;
}

function heldValue(values: readonly HeldValue[], value: string): HeldValue | undefined {
  for (const held of values) if (held.value === value) return held;
  return undefined;
}

/** A header value as fetch sends it (without its surrounding white space), and the secret inside it. */
function credentialForms(value: string): string[] {
  const forms = [value, value.trim()];
  const match = /^\s*(?:Bearer|Basic|Token)\s+(\S+)\s*$/i.exec(value);
  if (match?.[1]) {
    forms.push(match[1]);
    if (/^basic/i.test(value)) {
      const decoded = Buffer.from(match[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0) forms.push(decoded.slice(colon + 1));
    }
  }
  return forms;
}
