/**
 * What CloudEvents 1.0 asks of an event in its JSON format, written from the spec ("Context
 * Attributes", "Type System", "Extension Context Attributes") and the JSON event format (type system
 * mapping, `data` and `data_base64`), each rule checked on its own so that a failure names the rule it
 * broke. The grammars are those the spec points to: RFC 3986 for `URI-reference` and `URI`, RFC 2046
 * for `datacontenttype`, RFC 3339 for `Timestamp`.
 * https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md
 * https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/formats/json-format.md
 */
import { isIPv6 } from 'node:net';
import { isDeepStrictEqual } from 'node:util';

/** The core attributes; every other member but `data` and `data_base64` is an extension. */
const CORE = new Set(['specversion', 'id', 'source', 'type', 'datacontenttype', 'dataschema', 'subject', 'time']);

// RFC 3986, section by section.
const UNRESERVED = String.raw`A-Za-z0-9\-._~`;
const SUB_DELIMS = String.raw`!$&'()*+,;=`;
const PCT = '%[0-9A-Fa-f]{2}';
const PCHAR = `(?:[${UNRESERVED}${SUB_DELIMS}:@]|${PCT})`;
const SEGMENT = `${PCHAR}*`;
const SEGMENT_NZ = `${PCHAR}+`;
const SEGMENT_NZ_NC = `(?:[${UNRESERVED}${SUB_DELIMS}@]|${PCT})+`;
const QUERY = `(?:${PCHAR}|[/?])*`;
const SCHEME = '[A-Za-z][A-Za-z0-9+\\-.]*';
const USERINFO = `(?:[${UNRESERVED}${SUB_DELIMS}:]|${PCT})*`;
const REG_NAME = `(?:[${UNRESERVED}${SUB_DELIMS}]|${PCT})*`;
/** IPv6 (checked by `isIPv6` apart) or IPvFuture, in brackets. */
const IP_LITERAL = String.raw`\[(?:[0-9A-Fa-f:.]+|[vV][0-9A-Fa-f]+\.[${UNRESERVED}${SUB_DELIMS}:]+)\]`;
const AUTHORITY = `(?:${USERINFO}@)?(?:${IP_LITERAL}|${REG_NAME})(?::[0-9]*)?`;
const PATH_ABEMPTY = `(?:/${SEGMENT})*`;
const PATH_ABSOLUTE = `/(?:${SEGMENT_NZ}(?:/${SEGMENT})*)?`;
const PATH_ROOTLESS = `${SEGMENT_NZ}(?:/${SEGMENT})*`;
const PATH_NOSCHEME = `${SEGMENT_NZ_NC}(?:/${SEGMENT})*`;
const HIER_PART = `(?://${AUTHORITY}${PATH_ABEMPTY}|${PATH_ABSOLUTE}|${PATH_ROOTLESS}|)`;
const RELATIVE_PART = `(?://${AUTHORITY}${PATH_ABEMPTY}|${PATH_ABSOLUTE}|${PATH_NOSCHEME}|)`;
const TAIL = `(?:\\?${QUERY})?(?:#${QUERY})?`;
/** RFC 3986 4.1 `URI-reference` = `URI` / `relative-ref`. */
const URI_REFERENCE = new RegExp(`^(?:${SCHEME}:${HIER_PART}${TAIL}|${RELATIVE_PART}${TAIL})$`);
/** RFC 3986 4.3 `absolute-URI`, the spec's `URI`: a scheme, no fragment. */
const ABSOLUTE_URI = new RegExp(`^${SCHEME}:${HIER_PART}(?:\\?${QUERY})?$`);

/** The IP-literal host of a reference with an authority, brackets left out. */
const IP_HOST = /^(?:[A-Za-z][A-Za-z0-9+\-.]*:)?\/\/(?:[^@/?#]*@)?\[([^\]]*)\]/;

function isUri(text: string, grammar: RegExp): boolean {
  if (!grammar.test(text)) return false;
  const host = IP_HOST.exec(text)?.[1];
  return host === undefined || /^v/i.test(host) || isIPv6(host);
}

/** RFC 2046 (after RFC 2045 5.1): `type/subtype` and `; attribute=value` parameters, tokens without tspecials. */
const TOKEN = String.raw`[!#$%&'*+\-.^_\x60{|}~A-Za-z0-9]+`;
const QUOTED = String.raw`"(?:[^"\\\r\n]|\\.)*"`;
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(?:\\s*;\\s*${TOKEN}=(?:${TOKEN}|${QUOTED}))*$`);

/** RFC 3339 `date-time`; the calendar is checked apart. */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt]([01]\d|2[0-3]):([0-5]\d):([0-5]\d|60)(?:\.\d+)?(?:[Zz]|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

function isTimestamp(text: string): boolean {
  const match = RFC3339.exec(text);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

/** What a String may not hold: controls, surrogates without their pair, noncharacters. */
const NOT_IN_STRING = /[\u0000-\u001f\u007f-\u009f\p{Noncharacter_Code_Point}\p{Cs}]/u;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

/** The spec's rules `event` breaks, each as one line; `[]` for a valid event. */
export function cloudEventProblems(event: Record<string, unknown>): string[] {
  const problems: string[] = [];
  // JSON format 2.2: `null` is an unset attribute.
  const attribute = (name: string): unknown => (event[name] === null ? undefined : event[name]);
  const string = (name: string, required: boolean): string | undefined => {
    const value = attribute(name);
    if (value === undefined && !required) return undefined;
    if (typeof value !== 'string' || value === '') problems.push(`${name}: a non-empty string, got ${JSON.stringify(value)}`);
    else if (NOT_IN_STRING.test(value)) problems.push(`${name}: holds a character a String may not`);
    else return value;
    return undefined;
  };
  if (event['specversion'] !== '1.0') problems.push(`specversion: "1.0", got ${JSON.stringify(event['specversion'])}`);
  string('id', true);
  string('type', true);
  string('subject', false);
  const source = string('source', true);
  if (source !== undefined && !isUri(source, URI_REFERENCE)) problems.push(`source: not an RFC 3986 URI-reference: ${JSON.stringify(source)}`);
  const dataschema = string('dataschema', false);
  if (dataschema !== undefined && !isUri(dataschema, ABSOLUTE_URI)) problems.push(`dataschema: not an absolute URI: ${JSON.stringify(dataschema)}`);
  const contentType = string('datacontenttype', false);
  if (contentType !== undefined && !MEDIA_TYPE.test(contentType)) problems.push(`datacontenttype: not an RFC 2046 media type: ${JSON.stringify(contentType)}`);
  const time = attribute('time');
  if (time !== undefined && (typeof time !== 'string' || !isTimestamp(time))) problems.push(`time: not an RFC 3339 timestamp: ${JSON.stringify(time)}`);

  // JSON format 3.1: binary data is `data_base64`, other data `data`, never both.
  if ('data' in event && 'data_base64' in event) problems.push('data and data_base64 together');
  const base64 = event['data_base64'];
  if (base64 !== undefined && (typeof base64 !== 'string' || !BASE64.test(base64))) problems.push('data_base64: not Base64');
  const json = contentType === undefined || /^[^/;]+\/(?:[^/;]*\+)?json\s*(?:;|$)/i.test(contentType);
  if ('data' in event && !json && typeof event['data'] !== 'string') problems.push('data: a string for a content type that is not JSON');

  for (const [name, value] of Object.entries(event)) {
    if (CORE.has(name) || name === 'data' || name === 'data_base64') continue;
    // "Naming Conventions": a-z and 0-9; at most 20 characters is a SHOULD, held here as tributary's rule.
    if (!/^[a-z0-9]+$/.test(name)) problems.push(`extension ${JSON.stringify(name)}: lower-case a-z and 0-9 only`);
    else if (name.length > 20) problems.push(`extension ${name}: more than 20 characters`);
    if (value === null) continue;
    if (typeof value === 'number') {
      if (!Number.isInteger(value) || value < INT32.min || value > INT32.max) problems.push(`extension ${name}: an Integer within 32 bits, got ${value}`);
    } else if (typeof value === 'string') {
      if (NOT_IN_STRING.test(value)) problems.push(`extension ${name}: holds a character a String may not`);
    } else if (typeof value !== 'boolean') problems.push(`extension ${name}: a Boolean, Integer or string-encoded type, got ${JSON.stringify(value)}`);
  }
  const copy = JSON.parse(JSON.stringify(event)) as unknown;
  if (!isDeepStrictEqual(copy, event)) problems.push('does not come back the same through JSON.stringify and JSON.parse');
  return problems;
}
