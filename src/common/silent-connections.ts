import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Connections that were opened but have not sent a request yet: a browser's preconnect, an
 * aborted `fetch` left in a client's pool, a stuck client. Node's `closeIdleConnections()` (what
 * Fastify's `forceCloseConnections: 'idle'` calls on close) leaves them open, so the server's
 * close would wait for the client to give up (minutes). `destroyAll()` ends them at shutdown;
 * they carry no request, so nothing is cut short.
 */
export function trackSilentConnections(server: Server): { destroyAll(): void } {
  const silent = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    silent.add(socket);
    socket.once('close', () => silent.delete(socket));
  });
  server.on('request', (request: IncomingMessage) => silent.delete(request.socket));
  return {
    destroyAll() {
      for (const socket of silent) socket.destroy();
      silent.clear();
    },
  };
}
