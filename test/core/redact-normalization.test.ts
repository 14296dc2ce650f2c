/**
 * A credential echoed in another Unicode normalization than it was given in: a server that normalizes
 * what it received (macOS file names, PRECIS for passwords) writes `ä` decomposed, as `a` and U+0308;
 * one that applies compatibility normalization (SASLprep's NFKC) writes `ﬁ` as `fi` and `²` as `2`.
 */
import { describe, expect, it } from 'vitest';
import { redact } from '../../src/core/redact.js';
import { withSecrets } from '../support/with-secret.js';

describe('redact of a credential in another Unicode normalization', () => {
  it('finds a password given composed (NFC) where a server echoes it decomposed (NFD), as it is or escaped', () => {
    const password = 'pässwörd-Nfc7';
    withSecrets([password], () => {
      const decomposed = password.normalize('NFD');
      expect(decomposed).not.toBe(password);
      expect(redact(`wrong password ${decomposed} for user`)).toBe('wrong password [REDACTED] for user');
      expect(redact(`?p=${encodeURIComponent(decomposed)}&x`)).toBe('?p=[REDACTED]&x');
      // Python's json.dumps writes the combining marks as \u0308.
      const ascii = decomposed.replace(/[^\x00-\x7f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
      expect(redact(`{"p":"${ascii}"}`)).toBe('{"p":"[REDACTED]"}');
    });
  });

  it('finds a password given decomposed where a server echoes it composed', () => {
    const password = 'ge\u0301heim-Nfd8';
    withSecrets([password], () => {
      expect(redact(`wrong password ${password.normalize('NFC')}`)).toBe('wrong password [REDACTED]');
      expect(redact(`wrong password ${password}`)).toBe('wrong password [REDACTED]');
    });
  });

  it('finds a password in its compatibility normalizations (NFKC, NFKD): a full-width letter, a ligature, a superscript', () => {
    const password = 'pass-Ｗord²-ﬁx-ä7';
    withSecrets([password], () => {
      for (const form of ['NFKC', 'NFKD'] as const) {
        const echoed = password.normalize(form);
        expect(echoed).toContain('Word2-fix-');
        expect(redact(`wrong password ${echoed} for user`)).toBe('wrong password [REDACTED] for user');
        expect(redact(`?p=${encodeURIComponent(echoed)}&x`)).toBe('?p=[REDACTED]&x');
      }
    });
  });
});
