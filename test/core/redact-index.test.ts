import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { candidates, redact, registerSecret, secretCount } from '../../src/core/redact.js';

const anchorOf = (value: string): string =>
  (value.match(/[A-Za-z0-9]+/g) ?? []).reduce((longest, run) => (run.length > longest.length ? run : longest), '');

describe('registrations are counted and released', () => {
  it('forgets a value once every registration of it is released, and a release only once', () => {
    const secret = 'counted-secret-7f3e9a21';
    const before = secretCount();
    const first = registerSecret(secret);
    // The value and its base64.
    expect(secretCount()).toBe(before + 2);
    const second = registerSecret(secret);
    expect(secretCount()).toBe(before + 2);
    first();
    // A second call of the same release must not take the other holder's registration.
    first();
    expect(redact(`x ${secret} y`)).toBe('x [REDACTED] y');
    second();
    expect(redact(`x ${secret} y`)).toBe(`x ${secret} y`);
    expect(secretCount()).toBe(before);
  });

  it('counts a value given twice in one call twice', () => {
    const secret = 'twice-in-one-call-5c1d';
    const release = registerSecret(secret, secret);
    const other = registerSecret(secret);
    release();
    expect(redact(secret)).toBe('[REDACTED]');
    other();
    expect(redact(secret)).toBe(secret);
  });
});

describe('redact looks only at the secrets whose anchor a text holds', () => {
  // 10,000 unrelated secrets, as a process that built many clients (or renewed many tokens) has.
  const many = Array.from({ length: 10_000 }, () => randomBytes(24).toString('base64url'));
  registerSecret(...many);
  const json = JSON.stringify({ events: Array.from({ length: 300 }, (_, i) => ({ id: i, payload: 'p'.repeat(300) })) });

  it('examines no secret for a 100 KB text that holds none', () => {
    expect(json.length).toBeGreaterThan(90_000);
    expect(candidates(json)).toHaveLength(0);
    expect(redact(json)).toBe(json);
  });

  it('examines exactly the secrets present, in any form, and redacts them', () => {
    const [plain, encoded] = [many[17]!, `${many[4242]!}&/"`];
    registerSecret(encoded);
    const text = json.replace('"payload":"ppp', `"payload":"${plain}ppp`).replace('"id":7,', `"id":"${encodeURIComponent(encoded)}",`);
    expect(candidates(text).map((secret) => secret.value).sort()).toEqual([plain, encoded, many[4242]!].sort());
    const out = redact(text);
    expect(out).not.toContain(plain);
    expect(out).not.toContain(many[4242]!);
    expect(out.match(/\[REDACTED\]/g)).toHaveLength(2);
  });

  it('finds every secret whose anchor a text of random letters and digits holds, as a scan of all would', () => {
    const text = randomBytes(75_000).toString('base64');
    const expected = many.filter((secret) => text.includes(anchorOf(secret)));
    const found = candidates(text).map((secret) => secret.value);
    expect(found.sort()).toEqual(expected.sort());
  });
});
