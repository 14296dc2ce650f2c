import { describe, expect, it } from 'vitest';
import { redact, registerSecret } from '../../src/core/redact.js';
import { tines } from '../../src/providers/tines/index.js';

describe('redact', () => {
  it('removes registered secrets and credential-looking values', () => {
    registerSecret('s3cr3t-value-for-redact-test');
    expect(redact('body echoed s3cr3t-value-for-redact-test back')).toBe('body echoed [REDACTED] back');
    expect(redact('Authorization: Bearer abc.def.ghi')).not.toContain('abc.def.ghi');
    expect(redact('https://user:pa55@host/x')).not.toContain('pa55');
    expect(redact('{"password":"hunter2","access_token":"tok123"}')).not.toMatch(/hunter2|tok123/);
    expect(redact('X-Auth-Token: gAAAAB-keystone')).not.toContain('gAAAAB-keystone');
  });

  it('removes a Bearer token whose slashes a JSON dump escaped, whole', () => {
    expect(redact('{"authorization":"Bearer abc\\/def.ghi"}')).not.toMatch(/abc|def|ghi/);
  });

  it('removes a registered secret with spaces that a form-encoded URL wrote as +', () => {
    registerSecret('correct horse battery-staple');
    expect(redact('GET /search?q=correct+horse+battery-staple&x=1')).toBe('GET /search?q=[REDACTED]&x=1');
  });

  it('keeps vendor messages and error codes that merely say "token"', () => {
    // Tines answers a bad key with this text; Illumio names its error codes `token`.
    expect(redact('HTTP Token: Access denied.')).toBe('HTTP Token: Access denied.');
    expect(redact('[{"token":"invalid_uri","message":"Invalid URI"}]')).toBe('[{"token":"invalid_uri","message":"Invalid URI"}]');
    expect(redact('pagingToken=01HX')).toBe('pagingToken=01HX');
  });
});

describe('redact of credentials it never saw', () => {
  it('removes the credential of an Authorization header under any scheme, not the scheme alone', () => {
    // The scheme was taken for the value: `Authorization: [REDACTED] never-seen-5e7a` kept the credential.
    for (const scheme of ['Token', 'ApiKey', 'SSWS', 'Digest', 'Negotiate', 'AWS4-HMAC-SHA256']) {
      expect(redact(`Authorization: ${scheme} never-seen-5e7a`)).toBe(`Authorization: ${scheme} [REDACTED]`);
      expect(redact(`{"proxy-authorization":"${scheme} never-seen-5e7a"}`)).toBe(`{"proxy-authorization":"${scheme} [REDACTED]"}`);
    }
    expect(redact('authorization=never-seen-5e7a and more')).toBe('authorization=[REDACTED] and more');
    expect(redact('Authorization: Basic bmV2ZXI6c2Vlbg==')).toBe('Authorization: Basic [REDACTED]');
  });

  it('removes the password of a URL without a user name, and of one a JSON encoder escaped', () => {
    expect(redact('redis://:never-seen-5e7a@redis.internal:6379 refused')).toBe('redis://:[REDACTED]@redis.internal:6379 refused');
    expect(redact('{"proxy":"http:\\/\\/user:never-seen-5e7a@proxy.internal"}')).toBe('{"proxy":"http:\\/\\/user:[REDACTED]@proxy.internal"}');
  });

  it('removes a quoted secret field whole, white space in it included', () => {
    expect(redact('{"password": "never seen 5e7a", "user": "x"}')).toBe('{"password": "[REDACTED]", "user": "x"}');
    expect(redact('{"password":"never \\"seen\\" 5e7a"}')).toBe('{"password":"[REDACTED]"}');
    expect(redact("password='never seen 5e7a' user=x")).toBe("password='[REDACTED]' user=x");
    // JSON that a string of JSON holds (a gateway's error quoting the body it was sent).
    expect(redact(JSON.stringify({ detail: JSON.stringify({ password: 'never seen 5e7a', user: 'x' }) }))).toBe(
      '{"detail":"{\\"password\\":\\"[REDACTED]\\",\\"user\\":\\"x\\"}"}',
    );
  });

  it('removes a field whose name ends in secret or password (client_secret, dbPassword)', () => {
    expect(redact('client_secret=never-seen-5e7a&grant_type=client_credentials')).toBe('client_secret=[REDACTED]&grant_type=client_credentials');
    expect(redact('{"clientSecret":"never-seen-5e7a","dbPassword":"never-seen-6f8b"}')).toBe('{"clientSecret":"[REDACTED]","dbPassword":"[REDACTED]"}');
    expect(redact('secretary=Ann passwordless=true')).toBe('secretary=Ann passwordless=true');
  });
});

describe('redact with unusual secrets', () => {
  it('finds a secret full of backslashes as it is or JSON-escaped, and gives up on a near miss at once', () => {
    const secret = `k${'\\'.repeat(40)}z`;
    registerSecret(secret);
    expect(redact(`a ${secret} b`)).toBe('a [REDACTED] b');
    expect(redact(`a ${JSON.stringify(secret).slice(1, -1)} b`)).toBe('a [REDACTED] b');
    // Each backslash read both ways would take 2^40 tries here before failing.
    const nearMiss = `k${'\\'.repeat(80)}y`;
    expect(redact(nearMiss)).toBe(nearMiss);
  });

  it('finds a secret with a backslash percent-encoded or as an HTML entity, as other characters are', () => {
    // A backslash had only its JSON forms: `%5C` in a URL (a redirect's query, an error page's link) was kept.
    const secret = 'pa\\ss-Wd7%q';
    registerSecret(secret);
    expect(redact(`https://vendor.example/x?token=${encodeURIComponent(secret)}&y`)).toBe('https://vendor.example/x?token=[REDACTED]&y');
    expect(redact(`echo=${encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase())}`)).toBe('echo=[REDACTED]');
    expect(redact(`<p>pa&#92;ss-Wd7%q</p> <p>pa&#x5c;ss-Wd7&#37;q</p>`)).toBe('<p>[REDACTED]</p> <p>[REDACTED]</p>');
    expect(redact(JSON.stringify({ token: secret }))).toBe('{"token":"[REDACTED]"}');
    // Percent-encoded, each backslash has one reading too: a near miss fails at once.
    const nearMiss = `k${'%5C'.repeat(80)}y`;
    registerSecret(`k${'\\'.repeat(40)}z`);
    expect(redact(nearMiss)).toBe(nearMiss);
  });

  it('finds a secret with a slash echoed by an encoder that escapes slashes (PHP\'s json_encode writes \\/)', () => {
    const secret = 'k3y/with-slash9Q';
    registerSecret(secret);
    expect(redact('{"error":"invalid key k3y\\/with-slash9Q"}')).toBe('{"error":"invalid key [REDACTED]"}');
  });

  it('finds a secret in a URL echoed inside another URL, its escapes escaped once more (%253D)', () => {
    // A gateway's page quoting the URL of a request that quoted ours: `Basic abc==` as `Basic%2Babc%253D%253D`.
    const secret = 'd0ubly/enc0ded+token==';
    registerSecret(secret, 'two words é');
    const once = new URLSearchParams({ echo: `Basic ${secret}` }).toString();
    expect(redact(`next=${encodeURIComponent(`/x?${once}`)}`)).toBe('next=%2Fx%3Fecho%3DBasic%2B[REDACTED]');
    expect(redact(`q=${encodeURIComponent(new URLSearchParams({ q: 'two words é' }).toString())}`)).toBe('q=q%3D[REDACTED]');
  });

  it('finds a token with Latin-1 letters percent-encoded a byte a letter, as its header carried it', () => {
    // fetch sends `é` in a header as the byte E9; a server escaping the bytes it got (PHP's urlencode) echoes `%E9`.
    const token = 'tøken-é12ÿ-Kx';
    registerSecret(token);
    expect(redact('invalid key t%F8ken-%E912%FF-Kx')).toBe('invalid key [REDACTED]');
    expect(redact('invalid key t%f8ken-%e912%ff-Kx')).toBe('invalid key [REDACTED]');
    expect(redact(`invalid key ${encodeURIComponent(token)}`)).toBe('invalid key [REDACTED]');
  });

  it('looks for thousands of registered secrets, the last one found', () => {
    const many = Array.from({ length: 3000 }, (_, i) => `many-secrets-${i}-${(i * 7919).toString(36)}`);
    registerSecret(...many);
    expect(redact(`echo ${many[2999]!} and ${encodeURIComponent(many[5]!)}`)).toBe('echo [REDACTED] and [REDACTED]');
  });
});

describe('redact with a secret of one or two characters', () => {
  it('redacts it where it stands alone, in every form, and leaves the words that hold its letters', () => {
    const release = registerSecret('s', 'Q7');
    try {
      expect(redact('Invalid option `hooks`: expected an object, got a string')).toBe('Invalid option `hooks`: expected an object, got a string');
      expect(redact('GET http://127.0.0.1/orgs/1/events?max_results=1 failed after 5 attempts')).toBe(
        'GET http://127.0.0.1/orgs/1/events?max_results=1 failed after 5 attempts',
      );
      expect(redact('key Q7Q7 and xQ7')).toBe('key Q7Q7 and xQ7');
      expect(redact('s')).toBe('[REDACTED]');
      expect(redact('wrong secret s, or Q7.')).toBe('wrong secret [REDACTED], or [REDACTED].');
      expect(redact('{"user":"s"} %22s%22 \\u0022s\\u0022 &#34;s&#34; p=s&q=Q7')).toBe(
        '{"user":"[REDACTED]"} %22[REDACTED]%22 \\u0022[REDACTED]\\u0022 &#34;[REDACTED]&#34; p=[REDACTED]&q=[REDACTED]',
      );
    } finally {
      release();
    }
  });
});

describe('redact with an empty credential', () => {
  it('registers nothing for it: the error refusing it reads as written', () => {
    expect(() => tines({ baseUrl: 'https://tenant.tines.com', token: '' })).toThrow(/^Invalid option `token`: must not be empty$/);
    const release = registerSecret('');
    expect(redact('Invalid option `token`: must not be empty')).toBe('Invalid option `token`: must not be empty');
    release();
  });
});
