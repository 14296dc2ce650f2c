/**
 * A credential given to an option that shows the value it refuses (swapped variables, a token pasted
 * as an id) is redacted before the value is cut: cut first, a credential longer than the cut (Illumio's
 * 64-character secrets, Tines' tokens, Socotra's JWTs) no longer matched its registration, and its
 * first 20 or 40 characters were shown.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { illumio } from '../../src/providers/illumio/index.js';
import { informatica } from '../../src/providers/informatica/index.js';
import { socotra } from '../../src/providers/socotra/index.js';
import { tines } from '../../src/providers/tines/index.js';

const SECRET = 'f3a9c1d2e4b5a6978877665544332211ffeeddccbbaa99887766554433221100';
const TENANT = '6f1d2a3b-1111-4222-8333-444455556666';

function thrown(make: () => unknown): Error {
  try {
    make();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a refusal');
}

describe('a long credential echoed by the error of an option it was given to', () => {
  it.each([
    ['socotra tenantLocator', () => socotra({ baseUrl: 'https://x.example', token: SECRET, tenantLocator: SECRET })],
    ['illumio orgId', () => illumio({ baseUrl: 'https://x.example', orgId: SECRET as never, apiKey: 'api_1', apiSecret: SECRET })],
    ['tines authScheme', () => tines({ baseUrl: 'https://x.example', token: SECRET, authScheme: SECRET as never })],
    ['tines actionId', () => tines({ baseUrl: 'https://x.example', token: SECRET }).events.list({ actionId: SECRET })],
    ['illumio since', () => illumio({ baseUrl: 'https://x.example', orgId: 1, apiKey: 'api_1', apiSecret: SECRET }).events.list({ since: SECRET })],
    ['informatica eventStatus', () => informatica({ baseUrl: 'https://x.example', username: 'u', password: SECRET }).events.list({ eventStatus: SECRET as never })],
    ['socotra until', () => socotra({ baseUrl: 'https://x.example', token: SECRET, tenantLocator: TENANT }).events.list({ until: SECRET })],
  ])('%s: shows no part of it', (_, make) => {
    const error = thrown(make);
    const views = `${error.message}\n${inspect(error)}\n${JSON.stringify(error)}`;
    expect(views).toContain('[REDACTED]');
    for (let at = 0; at + 12 <= SECRET.length; at += 4) expect(views).not.toContain(SECRET.slice(at, at + 12));
  });
});
