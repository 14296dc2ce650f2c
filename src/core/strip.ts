/**
 * Runs of characters cut from the ends of a text by one scan inward. A pattern that ends in a run
 * (`/\/+$/`, `/-+$/`) is tried from every character of every such run inside the text, each time to
 * the run's end: a text of many of them and one other character at its end took time in the square of
 * its length (a base URL of 30,000 slashes and a letter, a third of a second; a category of as many
 * hyphens in a FUJITSU event, as long).
 */

/** A character code that `stripEnd` or `stripEnds` cuts. */
export type Stripped = (code: number) => boolean;

/** `text` without the run of characters at its end that `stripped` picks. */
export function stripEnd(text: string, stripped: Stripped): string {
  let end = text.length;
  while (end > 0 && stripped(text.charCodeAt(end - 1))) end--;
  return text.slice(0, end);
}

/** `text` without the runs of characters at its start and at its end that `stripped` picks. */
export function stripEnds(text: string, stripped: Stripped): string {
  const kept = stripEnd(text, stripped);
  let start = 0;
  while (start < kept.length && stripped(kept.charCodeAt(start))) start++;
  return kept.slice(start);
}

/** `/`, which a base URL's path may end in. */
export const isSlash: Stripped = (code) => code === 0x2f;
