/**
 * A credential echoed in another Unicode normalization than it was given in: a server that normalizes
 * what it received (macOS file names, PRECIS for passwords) writes `ä` decomposed, as `a` and U+0308;
 * one that applies compatibility normalization (SASLprep's NFKC) writes `ﬁ` as `fi` and `²` as `2`.
 */
import { describe, expect, it } from 'vitest';
import { redact, registerSecret } from '../../src/core/redact.js';
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

  it('looks for every form where the credential given is: a short one alone, a longer one anywhere, whatever length its form has', () => {
    // Three UTF-16 units composed into two (`éx`), and two that NFKC spreads over three (`afi`).
    withSecrets(['e\u0301x', 'a\uFB01'], () => {
      expect('e\u0301x'.normalize('NFC')).toHaveLength(2);
      expect(redact('got a\u00e9xb and \u00e9x')).toBe('got a[REDACTED]b and [REDACTED]');
      expect(redact('got wafix and afi')).toBe('got wafix and [REDACTED]');
    });
  });

  it('looks for a form that a short and a longer credential share anywhere while the longer one is held', () => {
    const echoed = 'got a\u00e9xb and \u00e9x';
    for (const longFirst of [true, false]) {
      const short = registerSecret('\u00e9x');
      const long = registerSecret('e\u0301x');
      expect(redact(echoed)).toBe('got a[REDACTED]b and [REDACTED]');
      if (longFirst) {
        long();
        expect(redact(echoed)).toBe('got a\u00e9xb and [REDACTED]');
        short();
      } else {
        short();
        expect(redact(echoed)).toBe('got a[REDACTED]b and [REDACTED]');
        long();
      }
      expect(redact(echoed)).toBe(echoed);
    }
  });
});
