/**
 * An event as the CLI writes it: one line of JSON. A vendor may echo a credential in an event (an
 * action that logs the headers it sent, a webhook that quotes its request), and the CLI's output goes
 * to terminals, files and log pipelines: a registered secret in any string of the event, or in a key,
 * is written as `[REDACTED]`, and the line stays JSON. A number is written as it is.
 */
import { redactSecrets } from '../core/redact.js';

export function eventLine(event: unknown): string {
  const line = JSON.stringify(event);
  // One pass over the line finds no secret in almost every page: the event is walked only when it may hold one.
  return redactSecrets(line) === line ? line : JSON.stringify(event, withoutSecrets);
}

function withoutSecrets(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const entries = Object.entries(value);
  if (!entries.some(([key]) => redactSecrets(key) !== key)) return value;
  return Object.fromEntries(entries.map(([key, field]) => [redactSecrets(key), field]));
}
