/**
 * A body is text in the charset its `Content-Type` declares: old Java servers (Informatica's Tomcat)
 * and proxies answer `application/json; charset=ISO-8859-1`, and read as UTF-8 every accented letter
 * became U+FFFD without a word. A charset the SDK cannot decode is an error that names it, never a
 * silent UTF-8 reading.
 */
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { BodyCharsetError, readBody } from '../../src/core/body.js';
import { HttpError, ResponseValidationError, isResponseValidationError } from '../../src/core/errors.js';
import { client, rejection, startServer, type TestServer } from './helpers/server.js';

const TEXT = 'Opération réussie: déjà vu, naïve façade';
const DOCUMENT = JSON.stringify({ message: TEXT });

function utf16be(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

const BOM_LE = Buffer.from([0xff, 0xfe]);
const BOM_BE = Buffer.from([0xfe, 0xff]);
const BOM_UTF8 = Buffer.from([0xef, 0xbb, 0xbf]);

/** A body sent in `chunks`, so that a character may be split between two of them. */
function answer(bytes: Buffer, contentType: string | undefined, chunks = 1): Response {
  const size = Math.ceil(bytes.length / chunks);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let at = 0; at < bytes.length; at += size) controller.enqueue(new Uint8Array(bytes.subarray(at, at + size)));
      controller.close();
    },
  });
  return new Response(body, contentType === undefined ? {} : { headers: { 'content-type': contentType } });
}

const read = (response: Response, truncate = false): Promise<string> => readBody(response, { limit: 1 << 20, truncate });

describe('readBody decodes the charset the Content-Type declares', () => {
  it.each([
    ['application/json; charset=ISO-8859-1', Buffer.from(DOCUMENT, 'latin1')],
    ['application/json;charset=iso-8859-1', Buffer.from(DOCUMENT, 'latin1')],
    ['application/json; charset="ISO-8859-1"', Buffer.from(DOCUMENT, 'latin1')],
    ['application/json; foo="a;b"; Charset = latin1', Buffer.from(DOCUMENT, 'latin1')],
    ['application/json; charset=windows-1252', Buffer.from(DOCUMENT, 'latin1')],
    ['application/json; charset=UTF-16LE', Buffer.from(DOCUMENT, 'utf16le')],
    ['application/json; charset=utf-16le', Buffer.concat([BOM_LE, Buffer.from(DOCUMENT, 'utf16le')])],
    ['application/json; charset=utf-16', Buffer.from(DOCUMENT, 'utf16le')],
    ['application/json; charset=UTF-16BE', utf16be(DOCUMENT)],
    ['application/json; charset=utf-16be', Buffer.concat([BOM_BE, utf16be(DOCUMENT)])],
  ])('%s', async (contentType, bytes) => {
    expect(await read(answer(bytes, contentType, 3))).toBe(DOCUMENT);
  });

  it.each(['ISO-8859-1', 'windows-1252', 'us-ascii'])('reads windows-1252 where %s is declared, as browsers do: 0x80 is the euro sign', async (charset) => {
    // What the Encoding standard has at 0x80–0x9F; Node 20's own decoder reads C1 controls there.
    const row = Buffer.from(Array.from({ length: 32 }, (_, index) => 0x80 + index));
    expect(await read(answer(row, `text/plain; charset=${charset}`))).toBe(
      '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
        '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178',
    );
    expect(await read(answer(Buffer.from([0x22, 0x80, 0x93, 0xe9, 0x94, 0x22]), `application/json; charset=${charset}`))).toBe('"€“é”"');
  });

  it('lets a byte order mark overrule the declared charset, as the Encoding standard decodes', async () => {
    // `utf-16` names little-endian; a server that writes big-endian says so with its mark.
    expect(await read(answer(Buffer.concat([BOM_BE, utf16be(DOCUMENT)]), 'application/json; charset=utf-16'))).toBe(DOCUMENT);
    expect(await read(answer(Buffer.concat([BOM_LE, Buffer.from(DOCUMENT, 'utf16le')]), 'application/json'))).toBe(DOCUMENT);
    expect(await read(answer(Buffer.concat([BOM_UTF8, Buffer.from(DOCUMENT)]), 'application/json; charset=ISO-8859-1'))).toBe(DOCUMENT);
  });

  it.each([undefined, 'application/json', 'application/json; charset=utf-8', 'application/json; charset=UTF8', 'text/plain; charset="utf-8"'])(
    'reads UTF-8 as before with %s, its byte order mark dropped',
    async (contentType) => {
      expect(await read(answer(Buffer.from(DOCUMENT), contentType, 5))).toBe(DOCUMENT);
      expect(await read(answer(Buffer.concat([BOM_UTF8, Buffer.from(DOCUMENT)]), contentType))).toBe(DOCUMENT);
    },
  );

  it("decodes an error body's excerpt in the same charset", async () => {
    const bytes = Buffer.from(DOCUMENT, 'utf16le');
    expect(await read(answer(bytes, 'application/json; charset=utf-16le', 4), true)).toBe(DOCUMENT);
    // Cut at the limit inside a character: what came before it is whole.
    const cut = await readBody(answer(bytes, 'application/json; charset=utf-16le'), { limit: 21, truncate: true });
    expect(cut.startsWith(DOCUMENT.slice(0, 10))).toBe(true);
  });

  it('rejects a charset it does not know with a BodyCharsetError naming it, keeping the text read as UTF-8', async () => {
    for (const truncate of [false, true]) {
      const error = await rejection(read(answer(Buffer.from('{"message":"caf\u00e9"}', 'latin1'), 'application/json; charset=x-mac-klingon'), truncate));
      expect(error).toBeInstanceOf(BodyCharsetError);
      expect(error).toMatchObject({ charset: 'x-mac-klingon', text: '{"message":"caf\uFFFD"}' });
      expect((error as Error).message).toBe(`its body's charset "x-mac-klingon" (its Content-Type's) is not one the SDK can decode`);
    }
  });

  it('shows a charset that holds controls or quotes escaped, and cut', async () => {
    const error = await rejection(read(answer(Buffer.from('{}'), `application/json; charset="\u001b[2J${'x'.repeat(60)}"`)));
    expect((error as Error).message).not.toMatch(/\u001b/);
    expect((error as Error).message).toContain('\\u001b[2J');
    expect((error as Error).message).toContain('…');
  });
});

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const get = { operation: 'events.list', method: 'GET' as const };
const retry = { retries: 2, minDelay: 1, maxDelay: 1 };

function send(res: ServerResponse, status: number, bytes: Buffer, contentType: string): void {
  res.writeHead(status, { 'content-type': contentType, 'x-request-id': 'req-7' });
  res.end(bytes);
}

describe('the request pipeline over HTTP', () => {
  it.each([
    ['ISO-8859-1', Buffer.from(DOCUMENT, 'latin1')],
    ['UTF-16LE', Buffer.concat([BOM_LE, Buffer.from(DOCUMENT, 'utf16le')])],
    ['UTF-16BE', utf16be(DOCUMENT)],
  ])('parses a %s answer with every letter intact', async (charset, bytes) => {
    server = await startServer((_req, res) => send(res, 200, bytes, `application/json; charset=${charset}`));
    const response = await client(server.url, { retry }).http.request({ ...get, path: '/x' });
    expect(response.data).toEqual({ message: TEXT });
  });

  it("keeps the vendor's message of a Latin-1 error body intact", async () => {
    server = await startServer((_req, res) => send(res, 400, Buffer.from(DOCUMENT, 'latin1'), 'application/json;charset=ISO-8859-1'));
    const error = await rejection(client(server.url, { retry }).http.request({ ...get, path: '/x' }));
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 400, vendorMessage: TEXT, bodyExcerpt: DOCUMENT });
  });

  it('makes a success in a charset the SDK cannot decode a ResponseValidationError naming it, not retried', async () => {
    const body = Buffer.from('{"message":"caf\u00e9"}', 'latin1');
    server = await startServer((_req, res) => send(res, 200, body, 'application/json; charset=x-mac-klingon'));
    const error = await rejection(client(server.url, { retry }).http.request({ ...get, path: '/x' }));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(isResponseValidationError(error)).toBe(true);
    expect((error as Error).message).toBe(
      `events.list: the response to GET ${server.url}/x was not read: its body's charset "x-mac-klingon" (its Content-Type's) is not one the SDK can decode`,
    );
    expect(error).toMatchObject({ issues: ['(body): charset "x-mac-klingon" cannot be decoded'], raw: '{"message":"caf\uFFFD"}' });
    expect(server.arrivals).toHaveLength(1);
  });

  it('keeps the typed error of an error status in a charset the SDK cannot decode, saying so', async () => {
    server = await startServer((_req, res) => send(res, 404, Buffer.from('{"message":"gone"}'), 'application/json; charset=x-mac-klingon'));
    const error = await rejection(client(server.url, { retry }).http.request({ ...get, path: '/x' }));
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 404, requestId: 'req-7', vendorMessage: 'gone' });
    expect((error as Error).message).toBe(
      `events.list: GET ${server.url}/x returned 404 Not Found (request id req-7): gone; its body's charset "x-mac-klingon" (its Content-Type's) is not one the SDK can decode`,
    );
  });
});
