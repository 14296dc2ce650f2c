/**
 * The normalized event: one shape over all five vendors, CloudEvents-compatible, with the vendor's
 * object kept as `raw`.
 */
import type { ProviderName } from './errors.js';

export type { ProviderName };

export type Severity = 'debug' | 'info' | 'notice' | 'warning' | 'error' | 'critical' | 'alert' | 'emergency';

export interface Actor {
  /** `'user'`, `'system'`, `'agent'`, ... in the vendor's terms. */
  kind: string;
  id?: string;
  name?: string;
}

export interface TributaryEvent<P extends ProviderName = ProviderName, R = unknown> {
  provider: P;
  /** Stable per vendor: Socotra locator, Tines id, FUJITSU content hash, Illumio href, Informatica eventId. */
  id: string;
  type: string;
  /** RFC 3339, UTC, milliseconds: `2026-11-23T10:00:00.000Z`. */
  time: string;
  /** URI reference of the producer, e.g. `illumio:/orgs/1`. */
  source: string;
  subject?: string;
  actor?: Actor;
  severity?: Severity;
  status?: string;
  message?: string;
  data: Record<string, unknown>;
  /** The vendor's object as received. */
  raw: R;
}
