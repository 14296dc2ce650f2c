/**
 * Credential redaction. Every client registers its secrets here when it is built; every error message,
 * URL, body excerpt and hook argument passes through `redact` before anyone can see it. The patterns
 * catch credentials the SDK never saw (a token echoed back in a vendor's error body).
 */

const REDACTED = '[REDACTED]';

interface Secret {
  value: string;
  pattern: RegExp;
  /**
   * The secret's longest run of letters and digits, which every form of it holds as it is (no escaper
   * touches them): a text without it is not searched, so many registered secrets cost a substring
   * check each. `''` for a secret without one.
   */
  anchor: string;
}

/**
 * Each registered secret, longest first once sorted: a short secret replaced inside a longer one would
 * leave the rest of the longer one unfound. Sorted at the next `redact`, not at every registration.
 */
const secrets: Secret[] = [];
const registered = new Set<string>();
let sorted = true;

/**
 * Remembers a credential so `redact` can remove it anywhere, whatever its length, in every form a
 * server may echo it in (`anyForm`): vendors and their gateways echo logins and headers back in JSON
 * error bodies, HTML pages and URLs.
 */
export function registerSecret(...values: ReadonlyArray<string | undefined>): void {
  for (const value of values) {
    if (value === undefined || value === '' || registered.has(value)) continue;
    registered.add(value);
    const runs = value.match(/[A-Za-z0-9]+/g) ?? [];
    const anchor = runs.reduce((longest, run) => (run.length > longest.length ? run : longest), '');
    secrets.push({ value, pattern: anyForm(value), anchor });
    sorted = false;
  }
}

/**
 * A pattern that matches `value` with each character as it is or escaped as a server escapes it: in
 * JSON (`\"`, `\/`, `\u003c` as Go writes `<`, `\u00e4` as Python writes non-ASCII), in HTML (`&amp;`,
 * `&#60;`, `&#x3C;`), in a URL (`%3C`, `%3c`, `+` for a space). Characters may mix forms, as escapers
 * choose per character; letters and digits, which none escapes, stand as they are. A backslash is
 * escaped by JSON throughout or not at all: both readings of each of a run of backslashes would make
 * a failed match try 2^n ways, so the pattern holds the secret twice instead, once with each reading.
 */
function anyForm(value: string): RegExp {
  const source = (backslash: readonly string[]): string => {
    let out = '';
    for (const char of value) out += /^[A-Za-z0-9]$/.test(char) ? char : `(?:${(char === '\\' ? backslash : formsOf(char)).join('|')})`;
    return out;
  };
  if (!value.includes('\\')) return new RegExp(source([]), 'g');
  return new RegExp(`${source(['\\\\'])}|${source(['\\\\\\\\', '\\\\u005[cC]'])}`, 'g');
}

/** The patterns of one character (not a letter or digit, nor a backslash): as it is, and escaped. */
function formsOf(char: string): string[] {
  const point = char.codePointAt(0) as number;
  const forms = [char.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')];
  let units = '';
  for (let index = 0; index < char.length; index++) units += `\\\\u${hexDigits(char.charCodeAt(index), 4)}`;
  forms.push(units, `&#0*${point};`, `&#[xX]0*${hexDigits(point, 1)};`);
  const short = JSON_SHORT[char];
  if (short !== undefined) forms.push(short);
  const entity = HTML_NAMED[char];
  if (entity !== undefined) forms.push(entity);
  forms.push([...new TextEncoder().encode(char)].map((byte) => `%${hexDigits(byte, 2)}`).join(''));
  if (char === ' ') forms.push('\\+');
  return forms;
}

/** JSON's two-character escapes, as patterns. */
const JSON_SHORT: Readonly<Record<string, string>> = {
  '"': '\\\\"',
  '/': '\\\\\\/',
  '\b': '\\\\b',
  '\f': '\\\\f',
  '\n': '\\\\n',
  '\r': '\\\\r',
  '\t': '\\\\t',
};

/** The named HTML entities escapers use, as patterns. */
const HTML_NAMED: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** `value` in hex, at least `width` digits, each letter matching either case. */
function hexDigits(value: number, width: number): string {
  return value
    .toString(16)
    .padStart(width, '0')
    .replace(/[a-f]/g, (digit) => `[${digit}${digit.toUpperCase()}]`);
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
  if (!sorted) {
    secrets.sort((a, b) => b.value.length - a.value.length);
    sorted = true;
  }
  let out = text;
  for (const { pattern, anchor } of secrets) if (out.includes(anchor)) out = out.replace(pattern, REDACTED);
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
