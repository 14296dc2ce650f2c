/**
 * CloudEvents 1.0 (JSON format) view of a normalized event, so the stream plugs into any CloudEvents
 * consumer (Knative, EventBridge, Azure Event Grid). Spec: https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md
 *
 * The context attributes map one to one (`id`, `source`, `type`, `time`, `subject`); the fields
 * CloudEvents has no attribute for become extension attributes, whose names the spec restricts to
 * lowercase letters and digits (at most 20 characters) and whose values here are strings. `source`
 * stays a URI-reference: what may not stand in one is percent-encoded. `raw` is left out: `data`
 * carries the normalized payload, and the vendor object stays available on the event itself.
 * So is the `raw` of the normalized events `data` holds (Informatica's descendants in `childEvents`, in
 * `nested` mode), which the event's own `raw` holds as sent.
 */
import type { ProviderName, Severity, TributaryEvent } from './event.js';
import { isRecord } from './plain-object.js';
import { uriSegment } from './uri-segment.js';

/** A CloudEvents 1.0 event in JSON format, as `toCloudEvent` builds it. */
export interface CloudEventJson {
  specversion: '1.0';
  id: string;
  /** URI reference of the producer, e.g. `illumio:/orgs/1`. */
  source: string;
  type: string;
  /** RFC 3339, UTC, milliseconds. */
  time: string;
  datacontenttype: 'application/json';
  subject?: string;
  data: Record<string, unknown>;
  /** Extension: the vendor (`illumio`, ...). */
  provider: ProviderName;
  /** Extension: the normalized severity. */
  severity?: Severity;
  /** Extension: the vendor's status of the event. */
  status?: string;
  /** Extensions: who caused the event. */
  actorkind?: string;
  actorid?: string;
  actorname?: string;
  /** Extension: the human-readable message. */
  message?: string;
}

/**
 * Converts a normalized event to a CloudEvents 1.0 JSON event.
 * @example JSON.stringify(toCloudEvent(event)) // one line of a `application/cloudevents+json` stream
 */
export function toCloudEvent(event: TributaryEvent): CloudEventJson {
  const out: CloudEventJson = {
    specversion: '1.0',
    id: identifier(event.id),
    source: uriReference(event.source),
    type: attribute(event.type),
    time: event.time,
    datacontenttype: 'application/json',
    data: cloudEventData(event.data),
    provider: event.provider,
  };
  // CloudEvents 1.0: `subject`, when present, is a non-empty string.
  if (event.subject) out.subject = attribute(event.subject);
  if (event.severity !== undefined) out.severity = event.severity;
  if (event.status !== undefined) out.status = attribute(event.status);
  if (event.actor !== undefined) {
    out.actorkind = attribute(event.actor.kind);
    if (event.actor.id !== undefined) out.actorid = attribute(event.actor.id);
    if (event.actor.name !== undefined) out.actorname = attribute(event.actor.name);
  }
  if (event.message !== undefined) out.message = attribute(event.message);
  return out;
}

/** `data` with each normalized event of its `childEvents` without `raw`, at any depth; `data` itself when it has none. */
function cloudEventData(data: Record<string, unknown>): Record<string, unknown> {
  const children = data['childEvents'];
  if (!Array.isArray(children)) return data;
  return { ...data, childEvents: children.map(withoutRaw) };
}

function withoutRaw(child: unknown): unknown {
  if (!isRecord(child)) return child;
  const copy: Record<string, unknown> = { ...child };
  delete copy['raw'];
  if (isRecord(copy['data'])) copy['data'] = cloudEventData(copy['data']);
  return copy;
}

/**
 * Characters a CloudEvents String may not hold (spec, "Type System"): controls (a vendor message's
 * line breaks and tabs), surrogates without their pair, noncharacters (in every plane). In binary HTTP
 * mode an attribute becomes a header, which refuses a line break.
 */
const REFUSED = String.raw`\u0000-\u001f\u007f-\u009f\p{Noncharacter_Code_Point}\p{Cs}`;
const NOT_IN_STRING = new RegExp(`[${REFUSED}]`, 'gu');

/** `text` as a CloudEvents String: a control as a space, any other refused character as U+FFFD. */
function attribute(text: string): string {
  NOT_IN_STRING.lastIndex = 0;
  if (!NOT_IN_STRING.test(text)) return text;
  return text.replace(NOT_IN_STRING, (char) => (char <= '\u009f' ? ' ' : '\ufffd'));
}

/** A refused character, or the `%` that starts an escape. */
const ESCAPED_IN_ID = new RegExp(`[%${REFUSED}]`, 'gu');

/** What every escaped id holds, and so what an id left as it is may not. */
const ESCAPE_MARK = '%u{';

/**
 * An id as a CloudEvents String, unchanged unless it holds a refused character or `%u{`. Then each
 * refused character, and each `%`, becomes `%u{hex}`: replaced as other attributes are, two ids that
 * differ only there (`a\nb`, `a b`) would become one, and a consumer drops the second as a repeat of the
 * first. An escaped id always holds `%u{`, so an id that holds it already is escaped too (`a%u{a}b`
 * becomes `a%u{25}u{a}b`), or it would be taken for the escape of another (`a\nb`).
 */
function identifier(id: string): string {
  NOT_IN_STRING.lastIndex = 0;
  if (!NOT_IN_STRING.test(id) && !id.includes(ESCAPE_MARK)) return id;
  return id.replace(ESCAPED_IN_ID, (char) => `%u{${(char.codePointAt(0) as number).toString(16)}}`);
}

/**
 * A character no URI-reference holds (RFC 3986 2.2, 2.3: neither reserved nor unreserved), or a `%`
 * that starts no escape.
 */
const NOT_IN_URI = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/?#[\]%]|%(?![0-9A-Fa-f]{2})/gu;

/** A scheme, which a colon in a reference's first segment would otherwise be taken for the end of. */
const SCHEME = /^[A-Za-z][A-Za-z0-9+\-.]*:/;

/**
 * `source` as a URI-reference, unchanged when its characters may all stand in one. Otherwise each that
 * may not (a control, a space, a letter beyond ASCII, a `%` that starts no escape) is percent-encoded
 * as UTF-8, a lone surrogate as U+FFFD: replaced by a space as other attributes are, `source` would
 * still be no URI-reference, and escaped as an id is, two sources stay two (a consumer takes `source`
 * and `id` together for the event's identity). A reference that then starts with no scheme
 * (`\tapp:/x` is `%09app:/x`, as is `:app`) has the colons of its first segment escaped too, as
 * RFC 3986 4.2 asks of a relative path.
 */
function uriReference(source: string): string {
  const escaped = source.replace(NOT_IN_URI, (char) => uriSegment(char));
  if (SCHEME.test(escaped)) return escaped;
  const end = escaped.search(/[/?#]/);
  const first = end === -1 ? escaped : escaped.slice(0, end);
  return first.replaceAll(':', '%3A') + escaped.slice(first.length);
}
