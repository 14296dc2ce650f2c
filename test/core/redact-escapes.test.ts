/**
 * Escapes of a credential's characters that servers write beside those of JSON, HTML and URLs:
 * JavaScript's `escape` (`%u20AC`), the named HTML entities of Latin-1 (`&auml;`), Python's reprs
 * (`\xe4`, `\xc3\xa4`); and those of JSON, HTML and URLs in either case.
 */
import { describe, expect, it } from 'vitest';
import { redact } from '../../src/core/redact.js';
import { withSecrets } from '../support/with-secret.js';

/** Every character but letters and digits as `escape(char)` returns it. */
const escaped = (text: string, escape: (unit: number) => string): string =>
  text.replace(/[^A-Za-z0-9]/g, (char) => escape(char.charCodeAt(0)));
const hex = (value: number, width: number): string => value.toString(16).padStart(width, '0');

describe('redact of other escapes servers write', () => {
  const password = 'pässwörd–€7';

  it("finds a credential as JavaScript's escape() writes it (%u2013, %u20AC) and with every non-ASCII letter as %uXXXX", () => {
    withSecrets([password], () => {
      expect(escape(password)).toContain('%u20AC');
      expect(redact(`echo ${escape(password)} end`)).toBe('echo [REDACTED] end');
      const everyU = password.replace(/[^\x00-\x7f]/g, (char) => `%u${hex(char.charCodeAt(0), 4).toUpperCase()}`);
      expect(everyU).toContain('%u00E4');
      expect(redact(`echo ${everyU} end`)).toBe('echo [REDACTED] end');
      expect(redact(`echo ${everyU.replace(/%u[0-9A-F]{4}/g, (escape) => escape.toLowerCase())} end`)).toBe('echo [REDACTED] end');
    });
  });

  it('finds a credential with astral characters as escape() writes their surrogates', () => {
    const token = 'tok🔑en-Astral9';
    withSecrets([token], () => {
      expect(redact(`echo ${escape(token)}`)).toBe('echo [REDACTED]');
    });
  });

  it('finds a credential with the named HTML entities of Latin-1 letters (htmlentities, escapeHtml4)', () => {
    const secret = 'Grüße-à-Ñ7ß';
    withSecrets([secret], () => {
      expect(redact('<p>wrong key Gr&uuml;&szlig;e-&agrave;-&Ntilde;7&szlig;</p>')).toBe('<p>wrong key [REDACTED]</p>');
      // Entity names are case-sensitive: &Uuml; is Ü, not ü.
      expect(redact('<p>Gr&Uuml;&szlig;e-&agrave;-&Ntilde;7&szlig;</p>')).toBe('<p>Gr&Uuml;&szlig;e-&agrave;-&Ntilde;7&szlig;</p>');
    });
  });

  it("finds a credential in Python's reprs: a str's \\xe4 and the UTF-8 bytes' \\xc3\\xa4", () => {
    const secret = 'pässwörd-Py2';
    withSecrets([secret], () => {
      expect(redact("Invalid input: u'p\\xe4ssw\\xf6rd-Py2' is not valid")).toBe("Invalid input: u'[REDACTED]' is not valid");
      expect(redact("Invalid header value b'p\\xc3\\xa4ssw\\xc3\\xb6rd-Py2'")).toBe("Invalid header value b'[REDACTED]'");
    });
  });

  it('finds a credential percent-encoded in upper or lower case, and as HTML hex entities in either case', () => {
    withSecrets([password], () => {
      const upper = encodeURIComponent(password);
      expect(redact(`?p=${upper}`)).toBe('?p=[REDACTED]');
      expect(redact(`?p=${upper.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase())}`)).toBe('?p=[REDACTED]');
      expect(redact(escaped(password, (unit) => `&#X${hex(unit, 4).toUpperCase()};`))).toBe('[REDACTED]');
    });
  });

  it('finds a credential in JSON that a string of JSON holds, its JSON escapes escaped once more (\\\\u00e4, \\\\\\")', () => {
    // A gateway's JSON error quoting the body its upstream answered, which Python's json.dumps wrote.
    const secret = 'pässwörd-"Q7x';
    withSecrets([secret], () => {
      const upstream = JSON.stringify({ error: 'denied', echo: secret }).replace(/[^\x20-\x7e]/g, (char) => `\\u${hex(char.charCodeAt(0), 4)}`);
      const gateway = JSON.stringify({ detail: `upstream said ${upstream}` });
      expect(gateway).toContain('p\\\\u00e4ssw');
      expect(redact(gateway)).toBe(JSON.stringify({ detail: `upstream said ${JSON.stringify({ error: 'denied', echo: '[REDACTED]' })}` }));
    });
  });

  it('finds a credential with a backslash or a double quote in JSON that a string of JSON holds (\\\\\\\\, \\\\\\")', () => {
    // The upstream's JSON writes `\` as `\\`, and the gateway's escapes each of those once more.
    for (const secret of ['pa\\ss-Wd7', 'p\\"a-Wd7"\\', 'pä\\ß-"Q7x\\\\']) {
      withSecrets([secret], () => {
        const gateway = JSON.stringify({ detail: `upstream said ${JSON.stringify({ echo: secret })}` });
        expect(gateway).toContain('\\\\\\\\');
        expect(redact(gateway)).toBe(JSON.stringify({ detail: `upstream said ${JSON.stringify({ echo: '[REDACTED]' })}` }));
      });
    }
  });

  it('finds a credential with numeric HTML references of any code point, beyond Latin-1 and beyond the BMP', () => {
    const secret = 'Ω日本-€😀ä-Key9';
    withSecrets([secret], () => {
      const point = (char: string): number => char.codePointAt(0) as number;
      const decimal = secret.replace(/[^A-Za-z0-9]/gu, (char) => `&#${point(char)};`);
      const hexadecimal = secret.replace(/[^A-Za-z0-9]/gu, (char) => `&#x${hex(point(char), 1)};`);
      expect(decimal).toContain('&#128512;');
      expect(redact(`<p>${decimal}</p>`)).toBe('<p>[REDACTED]</p>');
      expect(redact(`<p>${hexadecimal}</p> <p>${hexadecimal.toUpperCase().replaceAll('KEY9', 'Key9')}</p>`)).toBe('<p>[REDACTED]</p> <p>[REDACTED]</p>');
    });
  });
});
