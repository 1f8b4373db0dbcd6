import {
  type AddressInfo,
  type Server,
  type Socket,
  createConnection,
  createServer,
} from 'node:net';

/**
 * A loopback TCP proxy in front of a database (or Redis), which a test can cut and restore to
 * simulate an outage, or hold and release to simulate a stall (bytes wait, connections stay up),
 * without touching the real server.
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private port = 0;
  private held = false;
  /** Bytes that arrived while held, in order, with the socket each is for. */
  private waiting: { to: Socket; chunk: Buffer }[] = [];

  constructor(
    private readonly upstreamHost: string,
    private readonly upstreamPort: number,
  ) {}

  static forUrl(url: string): TcpProxy {
    const parsed = new URL(url);
    return new TcpProxy(parsed.hostname, Number(parsed.port || 5432));
  }

  /** The upstream URL with its host and port replaced by the proxy's. */
  rewrite(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    return parsed.toString();
  }

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = createConnection({ host: this.upstreamHost, port: this.upstreamPort });
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      const forward = (from: Socket, to: Socket): void => {
        from.on('data', (chunk: Buffer) => {
          if (this.held) this.waiting.push({ to, chunk });
          else to.write(chunk);
        });
        from.on('end', () => to.end());
      };
      forward(client, upstream);
      forward(upstream, client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Drops every connection and stops listening: the database looks unreachable. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server)
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
  }

  async restore(): Promise<void> {
    await this.start();
  }

  /** Stalls traffic both ways: connections stay open, nothing goes through until {@link release}. */
  hold(): void {
    this.held = true;
  }

  /** Lets the traffic held since {@link hold} through, in order, and what follows. */
  release(): void {
    this.held = false;
    const waiting = this.waiting;
    this.waiting = [];
    for (const { to, chunk } of waiting) if (!to.destroyed) to.write(chunk);
  }
}
