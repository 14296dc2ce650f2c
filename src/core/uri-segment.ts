/**
 * Vendor text as one segment of a `source` URI reference. `encodeURIComponent` throws a bare `URIError`
 * on a lone surrogate (`'a\ud800'`, as JSON may carry it), which would fail a whole listing over one
 * name; such a surrogate becomes U+FFFD instead, as it would in any UTF-8 text.
 */

/** ES2024 string methods (Node 20 has them; the compiler's `lib` is ES2023). */
interface WellFormedText {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/** `text` percent-encoded as a URI path segment, a lone surrogate as U+FFFD (`%EF%BF%BD`). */
export function uriSegment(text: string): string {
  const checked = text as string & WellFormedText;
  return encodeURIComponent(checked.isWellFormed() ? text : checked.toWellFormed());
}

/** Whether `text` holds no lone surrogate: only such text can be percent-encoded into a URL. */
export function isWellFormed(text: string): boolean {
  return (text as string & WellFormedText).isWellFormed();
}
