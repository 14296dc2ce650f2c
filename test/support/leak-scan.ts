/**
 * Looks for credentials in what a user of the SDK can see: an error (its message, stack, `String`,
 * `JSON.stringify`, `inspect`, every field it keeps, every cause down its chain), a hook's argument,
 * a cursor, a CLI's output. Each credential is looked for in the forms it travels or is echoed in:
 * as it is, percent-encoded (URI component and form, JavaScript's `escape`), JSON-escaped (also in JSON
 * that a string of JSON holds), in each Unicode normalization, in base64 on its own, and whole header values.
 *
 * What counts as found follows what redaction (src/core/redact.ts) promises:
 * - a credential of one or two characters is redacted where it stands alone, not inside a run of
 *   letters and digits (it is in most words), so it is looked for alone only;
 * - texts the SDK writes (messages, URLs, excerpts, issues) are searched for every credential; the
 *   dumps around them (`inspect`, JSON, the raw value) also hold key names, fixed words and vendor data,
 *   and escape the texts once more, so they are searched for the credentials long enough not to be met
 *   there by chance;
 * - the frames of a stack (`    at ...`) are the code's places, not text the SDK wrote.
 */
import { inspect } from 'node:util';
import { cursorJson } from '../../src/core/cursor.js';
import { latin1UrlEncoded } from './hostile-fetch.js';

const MARKER = '[REDACTED]';
/** Shorter credentials are looked for in the SDK's own texts only (see above). */
const DUMP_MIN_LENGTH = 6;
/** The longest form redaction looks for alone (MAX_WORD_BOUND_LENGTH in redact.ts). */
const ALONE_MAX_LENGTH = 2;

/** `secret` and its Unicode normalizations (NFKC among them, as SASLprep writes a password). */
const normalizations = (secret: string): string[] => [...new Set([secret, ...(['NFC', 'NFD', 'NFKC', 'NFKD'] as const).map((form) => secret.normalize(form))])];

/** The forms of `secret` a server or a URL may hold, of each of its normalizations. */
export function formsOf(secret: string): string[] {
  const forms = new Set<string>();
  for (const text of normalizations(secret)) {
    forms.add(text).add(encodeURIComponent(text)).add(new URLSearchParams([['', text]]).toString().slice(1)).add(escape(text));
    const json = JSON.stringify(text).slice(1, -1);
    for (const escaped of [json, json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)]) {
      // Also as JSON that a string of JSON holds writes it: each of its escapes escaped once more (`\\\\`, `\\\"`).
      forms.add(escaped).add(JSON.stringify(escaped).slice(1, -1));
    }
    // A header value travels as Latin-1 bytes, which a server may percent-encode one by one.
    if (/^[\x00-\xff]*$/.test(text)) forms.add(latin1UrlEncoded(text));
  }
  return [...forms];
}

/**
 * The base64 of `secret` and of its normalizations on its own, in either alphabet, padded or not: found
 * where it stands alone, as redaction looks for it (inside a longer run of letters and digits it is
 * another value's by chance).
 */
function base64FormsOf(secret: string): string[] {
  return normalizations(secret).flatMap((text) => {
    const padded = Buffer.from(text).toString('base64');
    return [padded, padded.replace(/=+$/, ''), Buffer.from(text).toString('base64url')];
  });
}

/**
 * Where `form` is in `text` as redaction would have removed it: anywhere, or alone when it is a form of
 * a short credential (`%C3%A9` of `é` inside `n%C3%A9g` is part of a word).
 */
function holds(text: string, form: string, alone: boolean): boolean {
  // A credential inside the marker (`RED`, `ACT`) is the marker, not the credential.
  const masked = text.replaceAll(MARKER, '\u0000');
  if (!alone) return masked.includes(form);
  const escaped = form.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  // Nor is one beside the marker alone: what the marker stands for may have been letters around it
  // (a user name `ßXé` of a secret `é` reads `ß[REDACTED]é` once `X`, another secret, is redacted).
  return new RegExp(`(?<![A-Za-z0-9\u0000])${escaped}(?![A-Za-z0-9\u0000])`).test(masked);
}

/** A stack without its frames: the message (and what an `inspect` adds) is what the SDK wrote. */
const withoutFrames = (text: string): string => text.replace(/^\s+at .*$/gm, '');

export interface Views {
  /** Texts the SDK wrote: searched for every credential. */
  texts: string[];
  /** Dumps around them: searched for the credentials of `DUMP_MIN_LENGTH` and more. */
  dumps: string[];
}

/** The views of a thrown value and of each cause down its chain, with every field each one keeps. */
export function errorViews(error: unknown, into: Views = { texts: [], dumps: [] }, depth = 0): Views {
  if (depth > 8) return into;
  if (!(error instanceof Error)) {
    into.dumps.push(safe(() => inspect(error, { depth: Infinity, showHidden: true })), safe(() => JSON.stringify(error) ?? ''));
    if (typeof error === 'string') into.texts.push(error);
    return into;
  }
  into.texts.push(error.message, String(error), withoutFrames(error.stack ?? ''));
  into.dumps.push(
    safe(() => JSON.stringify(error) ?? ''),
    withoutFrames(safe(() => inspect(error, { depth: Infinity }))),
    withoutFrames(safe(() => inspect(error, { depth: Infinity, showHidden: true }))),
  );
  for (const key of Reflect.ownKeys(error)) {
    if (key === 'stack' || key === 'message' || key === 'cause') continue;
    const value = (error as unknown as Record<PropertyKey, unknown>)[key];
    if (typeof value === 'string') into.texts.push(value);
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) into.texts.push(...value);
    else if (value instanceof Error) errorViews(value, into, depth + 1);
    else if (typeof value === 'object' && value !== null) into.dumps.push(safe(() => inspect(value, { depth: Infinity })), safe(() => JSON.stringify(value) ?? ''));
  }
  if (error.cause !== undefined) errorViews(error.cause, into, depth + 1);
  return into;
}

/** The views of a hook's argument: its URL is text the SDK wrote, its error an error. */
export function hookViews(info: Record<string, unknown>, into: Views = { texts: [], dumps: [] }): Views {
  if (typeof info.url === 'string') into.texts.push(info.url);
  if (info.error !== undefined) errorViews(info.error, into);
  into.dumps.push(safe(() => inspect(info, { depth: Infinity })));
  return into;
}

/** A cursor as it is and as the JSON it packs: neither may hold a credential. */
export function cursorViews(cursor: string, into: Views = { texts: [], dumps: [] }): Views {
  into.dumps.push(cursor, safe(() => cursorJson(cursor)));
  return into;
}

function safe(view: () => string): string {
  try {
    return view();
  } catch (error) {
    return `(view failed: ${String(error)})`;
  }
}

/** The first credential form found in `views`, with the view it was found in; `undefined` when clean. */
/**
 * The first form of a secret found in `views`. With `starts`, also the first 20 characters of one longer
 * than 40, as a value cut before it was redacted shows them (a message shows 40 characters of a refused
 * option); only where no vendor answered, whose own cut of an echo (300 characters) the SDK cannot tell.
 */
export function findLeak(views: Views, secrets: readonly string[], starts = false): { form: string; view: string } | undefined {
  for (const secret of secrets) {
    const short = secret.length <= ALONE_MAX_LENGTH;
    const forms = [...formsOf(secret).map((form) => [form, short] as const), ...base64FormsOf(secret).map((form) => [form, true] as const)];
    for (const [form, alone] of forms) {
      for (const view of views.texts) if (holds(view, form, alone)) return { form, view };
      // A dump escapes the texts in it once more (`\\u00e9` of `é` inside a word reads as alone there).
      if (secret.length < DUMP_MIN_LENGTH) continue;
      for (const view of views.dumps) if (holds(view, form, alone)) return { form, view };
    }
    if (starts && secret.length > 40) {
      const start = secret.slice(0, 20);
      for (const view of views.texts) if (holds(view, start, false)) return { form: start, view };
    }
  }
  return undefined;
}
