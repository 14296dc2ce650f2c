/**
 * A response body as the pipeline hands it on: JSON checked against the operation's schema by the
 * in-place validator, and zod's own parse only to name the issues of a body that does not match.
 */
import { NetworkError, ResponseValidationError, type ProviderName } from './errors.js';
import type { Received } from './http.js';
import type { RequestSpec } from './request.js';
import { responseCheck } from './response-schema.js';
import { publicUrl } from './url.js';
import { validationIssues } from './validation.js';

/**
 * Where the text stopped being JSON, without the text: V8 quotes a few characters of the body, which
 * can be the middle of an echoed credential that redaction, looking for the whole, would not find. The
 * error keeps the body in `raw`.
 */
function jsonFailure(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : '';
  const position = /at position (\d+)/.exec(message)?.[1];
  // V8 names the end of a text cut inside a string, a number or an object by its position.
  if (/end of JSON input/.test(message) || position === String(text.length)) return ENDS_EARLY;
  return position === undefined ? 'unexpected text' : `unexpected text at position ${position}`;
}

const ENDS_EARLY = 'the text ends early';

/**
 * What a body that is not JSON was labelled, where that is a page (HTML): a proxy in front of the
 * vendor answers `200` with its sign-in or error page, which read as the vendor's broken JSON. Only a
 * plain media type is shown, never the header's parameters or anything else it holds.
 */
function cameAs(headers: Headers): string {
  const type = (headers.get('content-type') ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  if (!/^[a-z0-9!#$&^_.+-]{1,64}\/[a-z0-9!#$&^_.+-]{1,64}$/.test(type) || !/html/.test(type)) return '';
  return `; it came as ${type}, as a proxy's or sign-in page does`;
}

/** JSON, then the operation's schema. An empty body (a 204, a HEAD) is `undefined`. */
export function parseBody(provider: ProviderName, spec: RequestSpec, received: Received): unknown {
  // Redacting the URL costs more than checking a small page: only an error message needs it.
  const where = (): string => `${spec.operation}: the response to ${received.method} ${publicUrl(received.url)}`;
  const context = { provider, operation: spec.operation };
  let data: unknown;
  // A regular expression stops at the first character; `trim()` would copy a large body.
  if (/\S/.test(received.text)) {
    try {
      data = JSON.parse(received.text) as unknown;
    } catch (error) {
      // Without a schema nobody asked for JSON: hand the text over as it came.
      if (!spec.schema) return received.text;
      const reason = jsonFailure(error, received.text);
      const invalid = new ResponseValidationError(`${where()} is not valid JSON (${reason})${cameAs(received.headers)}`, {
        ...context,
        issues: [`(body): not valid JSON: ${reason}`],
        raw: received.text,
      });
      // A body framed by chunks or by the close, whose JSON stops short, was most likely cut by a
      // connection closed early: Node 20's fetch hands on a chunked body cut by an announced close as
      // whole, where Node 24's fails it. A network failure either way, retried as one; the text is kept
      // in its cause's `raw`. A declared length the body met is the server's own text, wrong as it stands.
      if (reason === ENDS_EARLY && received.headers.get('content-length') === null) {
        throw new NetworkError(`${where()} ended before its JSON did: the connection was closed early`, { ...context, cause: invalid });
      }
      throw invalid;
    }
  }
  if (!spec.schema) return data;
  const schema = spec.schema;
  let issues: string[];
  try {
    const checked = responseCheck(schema).run(data);
    if (checked.ok) return checked.data;
    // The runtime parser names every issue; the fast path only says that there is one.
    const result = schema.safeParse(data);
    if (result.success) return result.data;
    issues = validationIssues(result.error, data);
  } catch (error) {
    // Both validators recurse: JSON nested a few thousand deep (a recursive schema, such as
    // Informatica's child events) overflows the stack. That is a body of the wrong shape, not a crash.
    if (!(error instanceof RangeError)) throw error;
    issues = [`(body): nested too deep to check (${error.message})`];
  }
  throw new ResponseValidationError(`${where()} did not match the expected shape: ${issues.slice(0, 5).join('; ')}`, {
    ...context,
    issues,
    raw: data,
  });
}
