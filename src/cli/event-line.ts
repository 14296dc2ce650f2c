/**
 * An event as the CLI writes it: one line of JSON. A vendor may echo a credential in an event (an
 * action that logs the headers it sent, a webhook that quotes its request), and the CLI's output goes
 * to terminals, files and log pipelines: a registered secret in any string of the event, or in a key,
 * is written as `[REDACTED]`, and the line stays JSON. A number is written as it is. The controls a
 * terminal obeys and the line separators JSON.stringify leaves as they are (DEL, C1, U+2028, U+2029)
 * are written as JSON escapes (`escapeControls`).
 */
import type { CloudEventJson } from '../core/cloudevent.js';
import { REDACTED, redactSecrets } from '../core/redact.js';
import { escapeControls } from '../core/shown-text.js';

export function eventLine(event: unknown): string {
  const line = JSON.stringify(event);
  // One pass over the line finds no secret in almost every page: the event is walked only when it may hold one.
  return escapeControls(redactSecrets(line) === line ? line : JSON.stringify(event, withoutSecrets));
}

/**
 * A CloudEvent as the CLI writes it (`--cloudevents`), redacted as `eventLine` redacts an event but
 * still a valid CloudEvent: attribute names and the values tributary writes itself (its vocabulary,
 * the canonical time) are left as they are, as a credential can only spell them by chance (a token
 * `json`, a password `2026`) and redacting them broke the event (`"[REDACTED]": ...`,
 * `application/[REDACTED]`); `source` stays a URI reference (its scheme kept, the marker
 * percent-encoded).
 */
export function cloudEventLine(event: CloudEventJson): string {
  const line = JSON.stringify(event);
  if (redactSecrets(line) === line) return escapeControls(line);
  return escapeControls(
    JSON.stringify(event, function (this: unknown, key: string, value: unknown): unknown {
      // The event itself, whose member names are the spec's and tributary's.
      if (value === event) return value;
      if (this !== event) return withoutSecrets(key, value);
      if (TRIBUTARY_OWN.has(key)) return value;
      return key === 'source' ? sourceWithoutSecrets(value as string) : withoutSecrets(key, value);
    }),
  );
}

/** The attributes whose value is tributary's, not the vendor's text. */
const TRIBUTARY_OWN = new Set<string>(['specversion', 'time', 'datacontenttype', 'provider', 'severity'] satisfies Array<keyof CloudEventJson>);

const MARKER_IN_URI = encodeURIComponent(REDACTED);

/**
 * A URI reference holds no `[` or `]` outside an IP literal, so every marker in it is one redaction put
 * there; a secret cut from the middle of a `%` escape leaves a `%` that then starts none.
 */
function sourceWithoutSecrets(source: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(source)?.[0] ?? '';
  const rest = redactSecrets(source.slice(scheme.length));
  return scheme + rest.replaceAll(REDACTED, MARKER_IN_URI).replace(/%(?![0-9A-Fa-f]{2})/g, '%25');
}

function withoutSecrets(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const entries = Object.entries(value);
  if (!entries.some(([key]) => redactSecrets(key) !== key)) return value;
  return Object.fromEntries(entries.map(([key, field]) => [redactSecrets(key), field]));
}
