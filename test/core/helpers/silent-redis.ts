/**
 * A Redis server that answers a client's handshake (`CLIENT SETINFO`) but never its ready check
 * (`INFO`), as one still loading its data may not: a client to it stays connected and not ready.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';

export interface SilentRedis {
  port: number;
  /** Settles once `clients` connections have asked for `INFO`. */
  asked: Promise<void>;
  close(): Promise<void>;
}

export async function silentRedis(clients = 2): Promise<SilentRedis> {
  let asking = 0;
  let asked!: () => void;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (chunk: Buffer) => {
      // Each command is a RESP array; the client sends a few in one write at most.
      for (const command of chunk.toString().split(/(?=\*\d+\r\n)/)) {
        if (/\r\ninfo\r\n/i.test(command)) {
          asking += 1;
          if (asking === clients) asked();
        } else if (command.startsWith('*')) {
          socket.write('+OK\r\n');
        }
      }
    });
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    asked: new Promise<void>((resolve) => (asked = resolve)),
    close: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      return closed;
    },
  };
}
