/**
 * Credential redaction. Every client registers its secrets here when it is built; every error message,
 * URL, body excerpt and hook argument passes through `redact` before anyone can see it. The patterns
 * catch credentials the SDK never saw (a token echoed back in a vendor's error body).
 */

const REDACTED = '[REDACTED]';
const secrets = new Set<string>();

/** Secrets shorter than this are too likely to match ordinary text, and too weak to be worth hiding. */
const MIN_SECRET_LENGTH = 4;

/**
 * Remembers a credential so `redact` can remove it anywhere: as it is, URL- and form-encoded, and as it
 * stands inside JSON text (`"` and `\` escaped; `/` also as `\/`, as PHP writes it), since vendors echo
 * logins and headers back in JSON error bodies.
 */
export function registerSecret(...values: ReadonlyArray<string | undefined>): void {
  for (const value of values) {
    if (value === undefined || value.length < MIN_SECRET_LENGTH) continue;
    secrets.add(value);
    const encoded = encodeURIComponent(value);
    if (encoded !== value) secrets.add(encoded);
    // Query strings built with URLSearchParams use form encoding (`+` for space, `%21` for `!`, ...).
    const formEncoded = new URLSearchParams([['', value]]).toString().slice(1);
    if (formEncoded !== value) secrets.add(formEncoded);
    const inJson = JSON.stringify(value).slice(1, -1);
    if (inJson !== value) secrets.add(inJson);
    if (inJson.includes('/')) secrets.add(inJson.replaceAll('/', '\\/'));
  }
}

/** Remembers the `user:password` pair of an HTTP Basic credential in the form it travels. */
export function registerBasicSecret(user: string, password: string): string {
  const token = Buffer.from(`${user}:${password}`).toString('base64');
  registerSecret(password, token);
  return token;
}

const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // Authorization-style headers and their values, as they appear in dumps of requests.
  [/\b(Basic|Bearer)\s+(?:[A-Za-z0-9._~+/=-]|\\\/)+/g, `$1 ${REDACTED}`],
  [/\b(x-auth-token|x-subject-token|x-user-token|authorization)(["']?\s*[:=]\s*["']?)[^\s"',;}]+/gi, `$1$2${REDACTED}`],
  // URL user info: https://user:secret@host
  [/(\/\/[^/\s:@]+:)[^@/\s]+@/g, `$1${REDACTED}@`],
  // Query and JSON fields that carry secrets.
  [/\b(password|passwd|secret|api_?secret|api_?key|(?:access|auth|api|refresh|id|session|subject)_?token)(["']?\s*[:=]\s*["']?)[^\s"'&,;}]+/gi, `$1$2${REDACTED}`],
];

/** Returns `text` with every registered secret and every credential-looking value replaced. */
export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
