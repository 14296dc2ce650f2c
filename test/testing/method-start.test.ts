import { METHODS } from 'node:http';
import { describe, expect, it } from 'vitest';
import { failedRequestStart, PARSER_METHODS_BEYOND_HTTP } from '../../src/testing/method-start.js';

const methods = [...METHODS, ...PARSER_METHODS_BEYOND_HTTP];
const start = (packet: string, failedAt: number, before = '') =>
  failedRequestStart(Buffer.from(packet), failedAt, Buffer.from(before), methods).toString('latin1');

describe('the start of a request node refused inside its method', () => {
  it('is found in the packet when the name starts there, past the requests pipelined before it', () => {
    expect(start('GET / HTTP/1.1\r\n\r\nFROB /x', 19, 'PA')).toBe('FROB /x');
  });

  it("puts back the part of the name the parser took from the pieces before, as far as it reads as a method's start", () => {
    // The parser failed at `X`, the fourth byte: it had taken `PA` before, as PATCH's start.
    expect(start('TCHX /x', 3, 'PA')).toBe('PATCHX /x');
    // `F` is taken as FLUSH's start (RTSP's, which node's parser shares) and refused at the next byte.
    expect(start('ROB /x', 0, 'F')).toBe('FROB /x');
  });

  it('leaves what came before when the parser would not have taken it, or would have failed elsewhere', () => {
    // A body that ended in token characters: `abc` starts no method, and `FR` fails at `R` from scratch.
    expect(start('FROB /x', 1, 'abc')).toBe('FROB /x');
    // `PA` before a `T` read from scratch: `TCHX` fails at `C`, where the parser did.
    expect(start('TCHX /x', 1, 'PA')).toBe('TCHX /x');
  });
});
