/**
 * Vendor text as one segment of a `source` URI reference. `encodeURIComponent` throws a bare `URIError`
 * on a lone surrogate (`'a\ud800'`, as JSON may carry it), which would fail a whole listing over one
 * name; such a surrogate becomes U+FFFD instead, as it would in any UTF-8 text.
 */

/** `text` percent-encoded as a URI path segment, a lone surrogate as U+FFFD (`%EF%BF%BD`). */
export function uriSegment(text: string): string {
  return encodeURIComponent(text.isWellFormed() ? text : text.toWellFormed());
}
