/**
 * Text from outside (a vendor's message, a refused value) as a message shows it. A message ends up in
 * log lines and on terminals: a cut must not leave half of a character written as a surrogate pair (an
 * emoji), which prints as U+FFFD or as a `\ud83c` escape, and the controls a terminal obeys (a vendor's
 * `\u001b[2J`, an OSC 52 that writes the clipboard, the C1 `\u009b`) are written as JSON escapes.
 */

/** `text` cut at `length` UTF-16 units, one fewer where the cut would split a surrogate pair, `…` after a cut. */
export function cutText(text: string, length: number): string {
  return text.length > length ? `${sliceText(text, length)}…` : text;
}

/** The first `length` UTF-16 units of `text`, one fewer where the last would be the first half of a pair. */
export function sliceText(text: string, length: number): string {
  const last = text.charCodeAt(length - 1);
  const splits = last >= 0xd800 && last <= 0xdbff && isLowSurrogate(text.charCodeAt(length));
  return text.slice(0, splits ? length - 1 : length);
}

const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/**
 * C0 controls, DEL and C1 controls, what a terminal may take for a command rather than text, and
 * U+2028/U+2029, which a reader that splits lines the Unicode way (Python's `splitlines`) ends a line at.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * `text` with each of those as its JSON escape (`\u001b`); the same string when it holds none. In a
 * line of JSON they stand only inside strings, where the escape reads back as the character.
 */
export function escapeControls(text: string): string {
  CONTROL.lastIndex = 0;
  return CONTROL.test(text) ? text.replace(CONTROL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`) : text;
}

/** Vendor text on one line of a message: white space as one space, cut at `length`, no control a terminal obeys. */
export function oneLine(text: string, length = 300): string {
  return escapeControls(cutText(text.replace(/\s+/g, ' ').trim(), length));
}
