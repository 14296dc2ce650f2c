/**
 * What CloudEvents 1.0 asks of a JSON event (spec, "Context Attributes", "Type System" and the JSON
 * format), checked attribute by attribute so that a failure names the rule it broke:
 * https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md
 */
import { isDeepStrictEqual } from 'node:util';

/** The attributes the spec defines; every other member but `data` is an extension. */
const CONTEXT = new Set(['specversion', 'id', 'source', 'type', 'datacontenttype', 'dataschema', 'subject', 'time']);

/** RFC 3339 `date-time`. */
const RFC3339 = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** RFC 3986 `URI-reference`: the characters it allows, `%` only as an escape. */
const URI_REFERENCE = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#[\]]|%[0-9A-Fa-f]{2})+$/;

/** What a CloudEvents String may not hold: controls, lone surrogates, noncharacters. */
const NOT_IN_STRING = /[\u0000-\u001f\u007f-\u009f\p{Noncharacter_Code_Point}\p{Cs}]/u;

/** The spec's rules `event` breaks, each as one line; `[]` for a valid event. */
export function cloudEventProblems(event: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const string = (name: string, required: boolean): void => {
    const value = event[name];
    if (value === undefined && !required) return;
    if (typeof value !== 'string' || value === '') problems.push(`${name}: a non-empty string, got ${JSON.stringify(value)}`);
    else if (NOT_IN_STRING.test(value)) problems.push(`${name}: holds a character a String may not`);
  };
  if (event['specversion'] !== '1.0') problems.push(`specversion: "1.0", got ${JSON.stringify(event['specversion'])}`);
  string('id', true);
  string('source', true);
  string('type', true);
  string('subject', false);
  const source = event['source'];
  if (typeof source === 'string' && !URI_REFERENCE.test(source)) problems.push(`source: not a URI-reference: ${JSON.stringify(source)}`);
  const time = event['time'];
  if (time !== undefined && (typeof time !== 'string' || !RFC3339.test(time))) problems.push(`time: not RFC 3339: ${JSON.stringify(time)}`);
  const data = event['data'];
  if ('data' in event) {
    if (event['datacontenttype'] !== 'application/json') problems.push(`datacontenttype: application/json for JSON data, got ${JSON.stringify(event['datacontenttype'])}`);
    if (typeof data !== 'object' || data === null || Array.isArray(data)) problems.push('data: a JSON object');
  }
  for (const [name, value] of Object.entries(event)) {
    if (CONTEXT.has(name) || name === 'data') continue;
    if (!/^[a-z0-9]{1,20}$/.test(name)) problems.push(`extension ${JSON.stringify(name)}: lower-case a-z0-9, at most 20 characters`);
    const allowed = typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isSafeInteger(value));
    if (!allowed) problems.push(`extension ${name}: a String, Boolean or Integer, got ${JSON.stringify(value)}`);
    else if (typeof value === 'string' && NOT_IN_STRING.test(value)) problems.push(`extension ${name}: holds a character a String may not`);
  }
  const copy = JSON.parse(JSON.stringify(event)) as unknown;
  if (!isDeepStrictEqual(copy, event)) problems.push('does not come back the same through JSON.stringify and JSON.parse');
  return problems;
}
