/**
 * A server on a real port (`node:net`) that keeps its connections alive, as vendors and their proxies
 * do, and lets a test decide, request by request, whether to answer with the emulator's answer, reset
 * the connection, or send the head and then stall or trickle the body. raw-wire.ts closes every
 * connection after its answer; this one is for what happens on a connection reused.
 */
import { createServer, type Socket } from 'node:net';
import type { EmulatorHandler } from '../../src/testing/types.js';

export type Move = 'answer' | 'reset' | 'stall' | 'trickle';

export interface Received {
  target: string;
  /** Which connection carried it (0 for the first accepted), and how many it carried before. */
  connection: number;
  reused: number;
}

export interface KeepAliveWire {
  readonly url: string;
  readonly received: Received[];
  /** Resolves once every connection that carried a request has been closed by either end. */
  drained(): Promise<void>;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['content-length', 'transfer-encoding', 'content-encoding', 'connection', 'keep-alive']);

export async function startKeepAliveWire(
  handle: EmulatorHandler,
  choose: (request: Received) => Move,
  host = '127.0.0.1',
): Promise<KeepAliveWire> {
  const received: Received[] = [];
  const sockets: Socket[] = [];
  const carrying = new Map<Socket, Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((socket) => {
    const connection = sockets.push(socket) - 1;
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    let pending = Buffer.alloc(0);
    let reused = 0;
    socket.on('data', (piece: Buffer) => {
      pending = Buffer.concat([pending, piece]);
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        const [line = '', ...lines] = pending.subarray(0, end).toString('latin1').split('\r\n');
        const headers = lines.map((header): [string, string] => [header.slice(0, header.indexOf(':')).trim(), header.slice(header.indexOf(':') + 1).trim()]);
        const length = Number(headers.find(([name]) => name.toLowerCase() === 'content-length')?.[1] ?? 0);
        if (pending.length < end + 4 + length) return;
        const body = pending.subarray(end + 4, end + 4 + length);
        pending = pending.subarray(end + 4 + length);
        const [method = 'GET', target = '/'] = line.split(' ');
        const request: Received = { target, connection, reused: reused++ };
        received.push(request);
        carrying.set(socket, closed);
        void respond(socket, choose(request), method, target, headers, body);
      }
    });
  });

  async function respond(socket: Socket, move: Move, method: string, target: string, headers: Array<[string, string]>, body: Buffer): Promise<void> {
    if (move === 'reset') return void socket.resetAndDestroy();
    const response = await handle(
      new Request(`https://vendor.example.com${target}`, { method, headers, ...(method === 'GET' ? {} : { body: new Uint8Array(body) }) }),
    );
    const text = Buffer.from(await response.arrayBuffer());
    const lines = [`HTTP/1.1 ${response.status} ${response.statusText || 'OK'}`];
    response.headers.forEach((value, name) => {
      if (!HOP_BY_HOP.has(name)) lines.push(`${name}: ${value}`);
    });
    if (move === 'answer') return void socket.write(`${[...lines, `Content-Length: ${text.length}`].join('\r\n')}\r\n\r\n${text.toString('latin1')}`, 'latin1');
    socket.write(`${[...lines, 'Transfer-Encoding: chunked'].join('\r\n')}\r\n\r\n`);
    if (move === 'stall') return;
    // One byte a chunk, without end: the body never completes, though bytes keep coming.
    let at = 0;
    const timer = setInterval(() => {
      if (socket.destroyed) return void (clearInterval(timer), timers.delete(timer));
      socket.write(`1\r\n${String.fromCharCode(text[at++ % text.length] ?? 32)}\r\n`, 'latin1');
    }, 20);
    timers.add(timer);
  }

  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    received,
    drained: async () => void (await Promise.all(carrying.values())),
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearInterval(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
