/**
 * Credential redaction. Every client registers its secrets here when it is built, and they are released
 * once it is garbage-collected (`heldBy`); every error message, URL, body excerpt and hook argument
 * passes through `redact` before anyone can see it. The patterns catch credentials the SDK never saw
 * (a token echoed back in a vendor's error body).
 */

/** What a redacted credential is written as. */
export const REDACTED = '[REDACTED]';

export interface Secret {
  value: string;
  /** Built at the first text that holds the anchor: most registered secrets are never looked for. */
  pattern?: RegExp;
  /**
   * The secret's longest run of letters and digits, which every form of it holds as it is (no escaper
   * touches them): a text without it is not searched. `''` for a secret without one.
   */
  anchor: string;
  /** The index's key: the anchor's first four characters (`-1` for a shorter anchor, tried on every text). */
  key: number;
  /** The registrations not released yet: the same credential may be held by several clients. */
  holders: number;
  /** Registration order: of two secrets of one length, the one registered first is looked for first. */
  order: number;
  /** `value` is the base64 of a registered credential, looked for as `base64Form` reads it. */
  base64: boolean;
  /**
   * `value` is a form of a credential of at most MAX_WORD_BOUND_LENGTH characters, looked for where it
   * stands alone: decided by the credential given, not by its form (`e` U+0301 `x` is `éx` in NFC).
   */
  alone: boolean;
}

/**
 * Each registered secret by value, after a `b` for the base64 of a credential, an `a` for a form of a
 * short one, a `t` for the others: a form two credentials share is looked for anywhere while the longer
 * one is held, and alone once only the shorter is.
 */
const secrets = new Map<string, Secret>();
/**
 * The secrets by the first four characters of their anchor, which `candidates` finds in one pass over a
 * text: a text that holds none of them costs that pass, however many secrets there are.
 */
const index = new Map<number, Secret[]>();
/**
 * A slot per hash of the keys of `index` (16 slots a key or more), set for each key: most
 * four-character runs of a text find theirs empty and need no look in `index`. Built at the first
 * `redact` after a change; `shift` makes a hash fit it.
 */
let filter: Uint8Array | undefined;
let shift = 0;
let registrations = 0;

/**
 * Remembers a credential so `redact` can remove it anywhere, whatever its length, in every form a
 * server may echo it in (`anyForm`): vendors and their gateways echo logins and headers back in JSON
 * error bodies, HTML pages and URLs. Its other Unicode normalizations are remembered too: a server that
 * normalizes what it got (PRECIS for passwords, a macOS file name) echoes `ä` given decomposed as one
 * character, and one that applies compatibility normalization (SASLprep's NFKC) `ﬁ` as `fi` and `²` as
 * `2`; and the base64 of each on its own (`base64Form`), which servers write of a Basic credential's
 * parts or of a secret they log. Returns the release of these registrations: a value is forgotten
 * once every registration of it is released (a credential two clients hold stays while one does).
 */
export function registerSecret(...values: ReadonlyArray<string | undefined>): () => void {
  const held: Secret[] = [];
  for (const value of values) {
    if (value === undefined || value === '') continue;
    const alone = value.length <= MAX_WORD_BOUND_LENGTH;
    for (const form of normalizations(value)) {
      held.push(hold(form, false, alone));
      for (const base64 of base64Of(form)) held.push(hold(base64, true, true));
    }
  }
  return () => {
    for (const secret of held.splice(0)) {
      if (--secret.holders > 0) continue;
      secrets.delete(keyed(secret.value, secret.base64, secret.alone));
      const bucket = index.get(secret.key) as Secret[];
      bucket.splice(bucket.indexOf(secret), 1);
      if (bucket.length === 0) index.delete(secret.key);
      filter = undefined;
    }
  };
}

/** `value` and the Unicode normalizations of it a server may apply to what it received before it echoes it. */
const normalizations = (value: string): Set<string> => new Set([value, ...(['NFC', 'NFD', 'NFKC', 'NFKD'] as const).map((form) => value.normalize(form))]);

/** The registration of `value`, indexed at its first, counted at each. */
function hold(value: string, base64: boolean, alone: boolean): Secret {
  let secret = secrets.get(keyed(value, base64, alone));
  if (secret === undefined) {
    const runs = value.match(/[A-Za-z0-9]+/g) ?? [];
    const anchor = runs.reduce((longest, run) => (run.length > longest.length ? run : longest), '');
    secret = { value, anchor, key: keyOf(anchor), holders: 0, order: registrations++, base64, alone };
    secrets.set(keyed(value, base64, alone), secret);
    const bucket = index.get(secret.key);
    if (bucket === undefined) index.set(secret.key, [secret]);
    else bucket.push(secret);
    filter = undefined;
  }
  secret.holders += 1;
  return secret;
}

/** A secret's key in `secrets`: a credential that spells another's base64 is still looked for as it is. */
const keyed = (value: string, base64: boolean, alone: boolean): string => `${base64 ? 'b' : alone ? 'a' : 't'}${value}`;

/**
 * The base64 of `value`'s UTF-8, and of its Latin-1 when it has letters past ASCII and none past Latin-1:
 * a header carries such a value a byte a letter, and a server encodes the bytes it got.
 */
function base64Of(value: string): Set<string> {
  const forms = new Set([Buffer.from(value).toString('base64')]);
  if (/^[\x00-\xff]*$/.test(value)) forms.add(Buffer.from(value, 'latin1').toString('base64'));
  return forms;
}

/** An anchor's first four characters as a number, seven bits each, as `candidates` reads a text; `-1` for a shorter one. */
function keyOf(anchor: string): number {
  let key = 0;
  for (let at = 0; at < 4; at++) key = (key << 7) | anchor.charCodeAt(at);
  return anchor.length < 4 ? -1 : key;
}

function isWordCode(code: number): boolean {
  const lower = code | 32;
  return (code >= 48 && code <= 57) || (lower >= 97 && lower <= 122);
}

/**
 * The registered secrets whose anchor is in `text` or in the `[REDACTED]` that replacing one leaves
 * (and those too short to index), longest first: a short secret replaced inside a longer one would leave
 * the rest of the longer one unfound. A few are each looked for, which costs less than the pass.
 */
export function candidates(text: string): Secret[] {
  if (secrets.size <= 32) {
    return [...secrets.values()]
      .filter((secret) => text.includes(secret.anchor) || REDACTED.includes(secret.anchor))
      .sort(longestFirst);
  }
  const found = new Set<Secret>(index.get(-1));
  if (index.size > (found.size > 0 ? 1 : 0)) {
    const slots = (filter ??= buildFilter());
    for (const source of [text, REDACTED]) {
      let key = 0;
      let run = 0;
      for (let at = 0; at < source.length; at++) {
        const code = source.charCodeAt(at);
        if (!isWordCode(code)) {
          run = 0;
          continue;
        }
        key = ((key << 7) | code) & 0xfffffff;
        if (++run < 4 || slots[hash(key)] === 0) continue;
        const bucket = index.get(key);
        if (bucket !== undefined) for (const secret of bucket) if (source.startsWith(secret.anchor, at - 3)) found.add(secret);
      }
    }
  }
  return [...found].sort(longestFirst);
}

const longestFirst = (a: Secret, b: Secret): number => b.value.length - a.value.length || a.order - b.order;

function buildFilter(): Uint8Array {
  for (shift = 20; shift > 8 && 2 ** (32 - shift) < index.size * 16; ) shift -= 1;
  const slots = new Uint8Array(2 ** (32 - shift));
  for (const key of index.keys()) if (key >= 0) slots[hash(key)] = 1;
  return slots;
}

const hash = (key: number): number => Math.imul(key, 0x9e3779b1) >>> shift;

/** How many values are registered (for tests; not part of the package's API). */
export const secretCount = (): number => secrets.size;

/** Made at the first `heldBy`, not at import. */
let collected: FinalizationRegistry<Array<() => void>> | undefined;

/**
 * A list of releases run once `owner` has been garbage-collected: a client puts there the
 * registrations of the credentials that `owner` (an object it holds as long as it can send them)
 * carries. An error is redacted when it is built, so no text made before is exposed by the release.
 */
export function heldBy(owner: object): Array<() => void> {
  const releases: Array<() => void> = [];
  collected ??= new FinalizationRegistry((held) => {
    for (const release of held.splice(0)) release();
  });
  collected.register(owner, releases);
  return releases;
}

/**
 * A pattern that matches `value` with each character as it is or escaped as a server escapes it: in
 * JSON (`\"`, `\/`, `\u003c` as Go writes `<`, `\u00e4` as Python writes non-ASCII), in HTML (`&amp;`,
 * `&#60;`, `&#x3C;`, `&auml;`), in a URL (`%3C`, `%3c`, `+` for a space, `%C3%A9` or the Latin-1 `%E9`
 * for `é`, `%u00E9` as JavaScript's `escape` writes it), in Python's reprs (`\xe9`, `\xc3\xa9`), and in
 * JSON that a string of JSON holds (`\\u00e9`).
 * Characters may mix forms, as escapers choose per character; letters and digits, which none escapes,
 * stand as they are. A backslash is escaped by JSON throughout, twice throughout, or not at all: several
 * readings of each of a run of backslashes would make a failed match try 2^n ways, so the pattern holds
 * the secret once for each reading instead. With `alone`, only where it stands alone (`ALONE_BEFORE`).
 */
function anyForm(value: string, alone: boolean): RegExp {
  const source = (backslash: readonly string[]): string => charsPattern(value, (char) => (char === '\\' ? backslash : formsOf(char)));
  const forms = value.includes('\\') ? BACKSLASH.map(source).join('|') : source([]);
  return new RegExp(alone ? `${ALONE_BEFORE}(?:${forms})${ALONE_AFTER}` : forms, 'g');
}

/**
 * A pattern of the base64 `value` in either alphabet (`-` and `_` for `+` and `/`), padded or not, each
 * character as it is or escaped, where it stands alone: inside a longer run of letters and digits it is
 * part of another value's base64 (a cursor, an id) that spells it by chance, as the four characters of
 * a three-character secret's (`WnE5` of `Zq9`) would.
 */
function base64Form(value: string): RegExp {
  const body = value.replace(/=+$/, '');
  const padding = `(?:${formsOf('=').join('|')})`.repeat(value.length - body.length);
  const chars = charsPattern(body, (char) => [...formsOf(char), ...formsOf(char === '+' ? '-' : '_')]);
  return new RegExp(`${ALONE_BEFORE}${chars}(?:${padding})?${ALONE_AFTER}`, 'g');
}

/** `value` with each character but letters and digits, which no escaper touches, as one of `forms(char)`. */
function charsPattern(value: string, forms: (char: string) => readonly string[]): string {
  let out = '';
  for (const char of value) out += /^[A-Za-z0-9]$/.test(char) ? char : `(?:${forms(char).join('|')})`;
  return out;
}

/**
 * A secret of this length or shorter is redacted where it stands alone, not inside a run of letters
 * and digits: one of one or two characters is in most words, and redacting it there turned every
 * message into `event[REDACTED].li[REDACTED]t` while telling nobody the secret.
 */
const MAX_WORD_BOUND_LENGTH = 2;
/** Not after a letter or digit, unless it ends an escape (`%22`, `\u0022`, `&#34;` ends in `;`). */
const ALONE_BEFORE = '(?:(?<![A-Za-z0-9])|(?<=%[0-9A-Fa-f]{2})|(?<=\\\\u[0-9A-Fa-f]{4}))';
const ALONE_AFTER = '(?![A-Za-z0-9])';

/**
 * A backslash's readings: not escaped by JSON (as it is, and in the escapes of a URL and of HTML, which
 * start with another character than a backslash and so add no other reading of a run of them); escaped
 * by JSON (`\\`, `\u005c`); and escaped again by the JSON that a string of JSON holds (`\\\\`, `\\u005c`).
 */
const BACKSLASH: ReadonlyArray<readonly string[]> = [
  ['\\\\', '%5[cC]', '&#0*92;', '&#[xX]0*5[cC];'],
  ['\\\\{2}', '\\\\u005[cC]'],
  ['\\\\{4}', '\\\\{2}u005[cC]'],
];

/** The patterns of one character (not a letter or digit, nor a backslash): as it is, and escaped. */
function formsOf(char: string): string[] {
  const point = char.codePointAt(0) as number;
  const bytes = [...new TextEncoder().encode(char)];
  const forms = [literal(char), `&#0*${point};`, `&#[xX]0*${hexDigits(point, 1)};`];
  // JSON's escapes, each also escaped once more (`\\u00e4`, `\\\"`) as JSON that a string of JSON holds
  // writes it: a gateway's error quoting the body its upstream answered.
  const short = JSON_SHORT[char];
  forms.push(unitsOf(char, '\\\\u'), unitsOf(char, '\\\\\\\\u'));
  if (short !== undefined) forms.push(literal(short), literal(JSON.stringify(short).slice(1, -1)));
  // Java's escapeHtml4 and PHP's htmlentities name the letters of Latin-1 (`&auml;`).
  const entity = HTML_NAMED[char] ?? (point >= 0xa0 && point <= 0xff ? `&${LATIN1_ENTITIES[point - 0xa0] as string};` : undefined);
  if (entity !== undefined) forms.push(entity);
  // Each escape also as a URL echoed inside another URL writes it, its `%` escaped once more (`=` as
  // `%253D`): a gateway's error page that quotes the URL of a request that quoted ours.
  for (const percent of ['%', '%25']) {
    forms.push(bytesOf(bytes, percent));
    if (point < 0x80) continue;
    // A header value travels as Latin-1, one byte a character: a server that escapes the bytes it
    // received (PHP's `urlencode`) writes `é` as `%E9`, not as its UTF-8 `%C3%A9`.
    if (point <= 0xff) forms.push(`${percent}${hexDigits(point, 2)}`);
    // JavaScript's `escape` writes a character beyond Latin-1 as `%u20AC`, .NET's `UrlEncodeUnicode` any beyond ASCII.
    forms.push(unitsOf(char, `${percent}u`));
  }
  if (point >= 0x80) {
    // Python's reprs, which an OpenStack service's validation error quotes: a str's (`u'p\xe4ss'`) and
    // the bytes' of a header as received (`b'p\xc3\xa4ss'`).
    if (point <= 0xff) forms.push(`\\\\x${hexDigits(point, 2)}`);
    forms.push(bytesOf(bytes, '\\\\x'));
  }
  // A space form-encoded as `+`, and that `+` escaped once more.
  if (char === ' ') forms.push('\\+', '%2[bB]');
  return forms;
}

/** The UTF-16 units of `char`, each as `prefix` and four hex digits (`\u00e4`, `%u00E4`). */
function unitsOf(char: string, prefix: string): string {
  let units = '';
  for (let index = 0; index < char.length; index++) units += `${prefix}${hexDigits(char.charCodeAt(index), 4)}`;
  return units;
}

/** The bytes of a character, each as `prefix` and two hex digits (`%C3%A4`, `\xc3\xa4`). */
const bytesOf = (bytes: readonly number[], prefix: string): string => bytes.map((byte) => `${prefix}${hexDigits(byte, 2)}`).join('');

/** `text` as a pattern that matches it as it is. */
const literal = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/** JSON's two-character escapes. */
const JSON_SHORT: Readonly<Record<string, string>> = {
  '"': '\\"',
  '/': '\\/',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** The named HTML entities escapers use, as patterns. */
const HTML_NAMED: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** The HTML names of the characters U+00A0 to U+00FF, in order. */
const LATIN1_ENTITIES = (
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para ' +
  'middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute ' +
  'Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute ' +
  'THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ' +
  'ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml'
).split(' ');

/** `value` in hex, at least `width` digits, each letter matching either case. */
function hexDigits(value: number, width: number): string {
  return value
    .toString(16)
    .padStart(width, '0')
    .replace(/[a-f]/g, (digit) => `[${digit}${digit.toUpperCase()}]`);
}

/**
 * Registers a factory's credential options before it checks any option: a credential given to another
 * option by mistake (a token as Socotra's `tenantLocator` or Tines' `authScheme`, swapped environment
 * variables) is echoed by that option's error, and a check that fails before the credential's own
 * registration would show it. Released once the synchronous construction is over (its errors are
 * redacted as they are made): held longer, a value refused as a credential would be redacted from the
 * errors of every construction after it. A client built registers what it sends for as long as it lives.
 * Values that are not strings are skipped.
 */
export function registerWhileBuilding(...values: readonly unknown[]): void {
  const texts = values.filter((value): value is string => typeof value === 'string');
  if (texts.length > 0) queueMicrotask(registerSecret(...texts));
}

/**
 * Remembers the `user:password` pair of an HTTP Basic credential in the form it travels: that form and
 * the release. The token of each normalization of the password too: a server that normalizes it (PRECIS,
 * SASLprep) before it encodes the pair again echoes that token.
 */
export function registerBasicSecret(user: string, password: string): [token: string, release: () => void] {
  const tokens = [...normalizations(password)].map((form) => Buffer.from(`${user}:${form}`).toString('base64'));
  return [tokens[0] as string, registerSecret(password, ...tokens)];
}

/**
 * The schemes of an `Authorization` value, kept before the credential they introduce: taken for the
 * value, a scheme was replaced and the credential after it kept (`Authorization: [REDACTED] abc`).
 */
const SCHEMES = String.raw`(?:Basic|Bearer|Token|Digest|ApiKey|Api-Key|Key|SSWS|Negotiate|NTLM|OAuth|DPoP|MAC|HOBA|Mutual|GSSAPI|SharedKey|Splunk|Hawk|AWS4-HMAC-SHA256)`;

/**
 * A field's value: quoted, it runs to its closing quote (white space and escapes in it included) or to
 * the end of a text cut short; `\"` quotes it inside JSON that a string holds; unquoted, to the first
 * separator. A value taken to its first white space left the rest of `"password": "a b c"` shown.
 */
const VALUE = String.raw`(?:"(?:[^"\\\n]|\\.)*(?:"|$)|'(?:[^'\\\n]|\\.)*(?:'|$)|\\"(?:(?!\\")[^\n])*(?:\\"|$)|[^\s"'&,;}]+)`;

/** Between a field's name and its value: `=`, `: `, `":"`, and `\":\"` inside JSON that a string holds. */
const SEPARATOR = String.raw`(?:\\?["'])?\s*[:=]\s*`;

/** A value's opening scheme and the white space after it (`Bearer `), when a credential follows. */
const LEADING_SCHEME = new RegExp(String.raw`^${SCHEMES}\s+(?=\S)`, 'i');

/** `value` (one of `VALUE`) replaced, its quotes and the scheme it starts with (`keepScheme`) kept. */
function redactedValue(value: string, keepScheme: boolean): string {
  const open = value.startsWith('\\"') ? '\\"' : value[0] === '"' || value[0] === "'" ? (value[0] as string) : '';
  const inner = value.slice(open.length);
  const close = open !== '' && inner.endsWith(open) && inner.length >= open.length ? open : '';
  const scheme = keepScheme ? (LEADING_SCHEME.exec(inner)?.[0] ?? '') : '';
  return `${open}${scheme}${REDACTED}${close}`;
}

const PATTERNS: ReadonlyArray<[RegExp, (match: string, ...groups: string[]) => string]> = [
  // Authorization-style headers and their values, as they appear in dumps of requests.
  [/\b(Basic|Bearer)\s+(?:[A-Za-z0-9._~+/=-]|\\\/)+/g, (_, scheme: string) => `${scheme} ${REDACTED}`],
  [
    new RegExp(String.raw`\b(x-auth-token|x-subject-token|x-user-token|authorization)(${SEPARATOR})(${SCHEMES}\s+[^\s"',;}]+|${VALUE})`, 'gi'),
    (_, name: string, separator: string, value: string) => `${name}${separator}${redactedValue(value, true)}`,
  ],
  // URL user info: https://user:secret@host, redis://:secret@host, and http:\/\/ as JSON escapes it.
  [/((?:\/\/|\\\/\\\/)[^/\s:@]*:)[^@/\s]+@/g, (_, head: string) => `${head}${REDACTED}@`],
  // Query and JSON fields that carry secrets, a name that ends in one too (client_secret, dbPassword).
  [
    // From the start of a name only: from every word in it, a name of many hyphens was read again and
    // again to its end, and 64 KB of them took seconds.
    new RegExp(String.raw`(?<![A-Za-z0-9_-])([A-Za-z0-9_-]*?(?:password|passwd|secret|api_?key|(?:access|auth|api|refresh|id|session|subject)_?token))(${SEPARATOR})(${VALUE})`, 'gi'),
    (_, name: string, separator: string, value: string) => `${name}${separator}${redactedValue(value, false)}`,
  ],
];

/** Returns `text` with every registered secret and every credential-looking value replaced. */
export function redact(text: string): string {
  let out = redactSecrets(text);
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * Returns `text` with every registered secret replaced, in any form, and nothing else: for the vendor's
 * own data (an event), whose credential-looking fields (`password`, `api_key`) are the vendor's.
 */
export function redactSecrets(text: string): string {
  let out = text;
  for (const secret of candidates(text)) {
    if (out.includes(secret.anchor)) out = out.replace((secret.pattern ??= secret.base64 ? base64Form(secret.value) : anyForm(secret.value, secret.alone)), REDACTED);
  }
  return out;
}
