/**
 * The base64 of a credential on its own: servers echo the parts of a Basic credential, or a secret
 * they base64-encoded to show or log it.
 */
import { describe, expect, it } from 'vitest';
import { redact, registerBasicSecret } from '../../src/core/redact.js';
import { withSecrets } from '../support/with-secret.js';

describe('redact of the base64 of a credential on its own', () => {
  const password = 'h>nter2-B64?secret~7';
  const forms = {
    padded: Buffer.from(password).toString('base64'),
    unpadded: Buffer.from(password).toString('base64').replace(/=+$/, ''),
    url: Buffer.from(password).toString('base64url'),
  };

  it('finds it in standard base64 and base64url, with and without padding, and percent-encoded', () => {
    withSecrets([password], () => {
      // Padded, and with characters of the two alphabets that differ (`+` and `/`, `-` and `_`).
      expect(forms.padded).toMatch(/^[^=]*[+/][^=]*=$/);
      for (const form of Object.values(forms)) expect(redact(`echo ${form} end`)).toBe('echo [REDACTED] end');
      expect(redact(`{"note":"x","echo":"${forms.padded}"}`)).toBe('{"note":"x","echo":"[REDACTED]"}');
      expect(redact(`?k=${encodeURIComponent(forms.padded)}&y`)).toBe('?k=[REDACTED]&y');
    });
  });

  it('finds the base64 of a Basic credential password alone, beside the user:password pair it travels in', () => {
    const secret = 'Zx+/9-secret_Key?';
    const [token, release] = registerBasicSecret('api_user', secret);
    try {
      expect(redact(`Basic ${token}`)).not.toContain(token);
      expect(redact(`key ${Buffer.from(secret).toString('base64')} refused`)).toBe('key [REDACTED] refused');
      expect(redact(`key ${Buffer.from(secret).toString('base64url')} refused`)).toBe('key [REDACTED] refused');
    } finally {
      release();
    }
  });

  it('finds a Basic token whose password a server normalized before it encoded the pair again', () => {
    // PRECIS writes a password in NFC, SASLprep in NFKC; the token it echoes holds that form.
    for (const [password, form] of [
      ['ge\u0301heim-Basic9', 'NFC'],
      ['pässwörd-Basic7', 'NFD'],
      ['ﬁle-Ｋey²-Basic', 'NFKC'],
    ] as const) {
      const [token, release] = registerBasicSecret('api_user', password);
      try {
        const echoed = Buffer.from(`api_user:${password.normalize(form)}`).toString('base64');
        expect(echoed).not.toBe(token);
        expect(redact(`token ${echoed} refused`)).toBe('token [REDACTED] refused');
        expect(redact(`{"token":"x","echo":"${echoed}"}`)).toBe('{"token":"x","echo":"[REDACTED]"}');
      } finally {
        release();
      }
    }
  });

  it('finds the base64 of a Latin-1 token as a header carries it, one byte a letter', () => {
    const token = 'tøken-é12-Kx';
    withSecrets([token], () => {
      expect(redact(`got ${Buffer.from(token, 'latin1').toString('base64')}`)).toBe('got [REDACTED]');
      expect(redact(`got ${Buffer.from(token).toString('base64')}`)).toBe('got [REDACTED]');
    });
  });

  it('finds the base64 of a credential in its other Unicode normalizations, on its own', () => {
    // A server that normalizes what it received before it encodes it: the NFD of a password given
    // composed, the NFC of one given decomposed, the NFKC that SASLprep writes.
    for (const [given, echoed] of [
      ['pässwörd-B64', 'NFD'],
      ['ge\u0301heim-Nfd8', 'NFC'],
      ['ﬁle-Ｋey²', 'NFKC'],
    ] as const) {
      withSecrets([given], () => {
        const form = given.normalize(echoed);
        expect(form).not.toBe(given);
        expect(redact(`got ${Buffer.from(form).toString('base64')} end`)).toBe('got [REDACTED] end');
        expect(redact(`got ${Buffer.from(form).toString('base64url')} end`)).toBe('got [REDACTED] end');
      });
    }
  });

  it('leaves the base64 of a short secret inside a longer run of letters and digits (a cursor, an id)', () => {
    // `Zq9` is `WnE5` in base64 and `ab` is `YWI=`: short enough to turn up inside other base64 by chance.
    withSecrets(['Zq9', 'ab'], () => {
      expect(redact('cursor=eyJXWnE5Yz0 id=xYWIz')).toBe('cursor=eyJXWnE5Yz0 id=xYWIz');
      expect(redact('echo WnE5 and YWI= and YWI.')).toBe('echo [REDACTED] and [REDACTED] and [REDACTED].');
    });
  });
});
