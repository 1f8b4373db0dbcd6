import type { ServerResponse } from 'node:http';
import type { AuthContext } from '../auth/auth-context.js';
import type { DomainEvent } from './domain-event.js';
import { type StreamMessage, isFor, messageOf, sseFrame } from './event-audience.js';

/** setTimeout cannot wait longer than this (about 24.8 days); longer waits are re-armed. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Each event's frame, encoded once however many streams it goes to (the bus hands the same event
 * object to every stream): serialising an order per stream dominated the fan-out to 1,000 streams.
 */
const frames = new WeakMap<DomainEvent, Buffer>();

function frameOf(event: DomainEvent, id: string): Buffer {
  let frame = frames.get(event);
  if (frame === undefined) {
    frame = Buffer.from(sseFrame(id, messageOf(event)));
    frames.set(event, frame);
  }
  return frame;
}

export interface LiveStreamOptions {
  readonly heartbeatMs: number;
  /** Bytes that may wait for a slow client; beyond it the stream is dropped. */
  readonly bufferLimitBytes: number;
  /** When the session's absolute lifetime ends, and with it the stream. */
  readonly expiresAt: Date;
  /**
   * When the session would end if nothing happened (its idle deadline), and how to learn at that
   * moment whether it did: `recheck` resolves to the session's deadline now (activity pushed it
   * on), or to `over`.
   */
  readonly idle: {
    readonly at: Date;
    readonly recheck: () => Promise<Date | 'over'>;
  };
}

/** How long to wait before asking again when the idle recheck itself failed (database down). */
const RECHECK_RETRY_MS = 10_000;

/**
 * One open `text/event-stream` response. It writes frames straight to the socket and never
 * queues in memory itself: when the socket's buffer grows past the limit (a client that stopped
 * reading), the stream is dropped, so a slow client costs at most the limit.
 */
export class LiveStream {
  private closed = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private expiry: NodeJS.Timeout | undefined;
  private idleCheck: NodeJS.Timeout | undefined;
  private readonly closeListeners: (() => void)[] = [];

  constructor(
    readonly auth: AuthContext,
    private readonly response: ServerResponse,
    private readonly options: LiveStreamOptions,
  ) {
    response.on('close', () => {
      this.finish();
    });
    response.on('error', () => {
      this.finish();
    });
    // The client may have gone while the stream was being set up: 'close' has been and gone.
    if (response.socket === null || response.socket.destroyed) this.finish();
  }

  /** Starts the heartbeat and the session-lifetime timer. */
  start(): void {
    // It may have ended while being set up (the client left, or the replay overflowed it).
    if (this.closed) return;
    this.heartbeat = setInterval(() => {
      this.comment('heartbeat');
    }, this.options.heartbeatMs);
    this.armExpiry();
    this.armIdleCheck(this.options.idle.at);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Runs once the stream has ended, whoever ended it (at once if it has ended already). */
  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  /**
   * Sends an event if it is for this stream; a `session.revoked` of this session is sent and
   * then ends the stream.
   */
  deliver(event: DomainEvent): void {
    if (this.closed || event.id === undefined || !isFor(this.auth, event)) return;
    this.write(frameOf(event, event.id));
    if (event.type === 'session.revoked') this.close();
  }

  send(id: string, message: StreamMessage): void {
    this.write(sseFrame(id, message));
  }

  /** An SSE comment (ignored by clients): heartbeats and the reason a stream ends. */
  comment(text: string): void {
    this.write(`: ${text}\n\n`);
  }

  /** Ends the stream, with a last comment saying why when given. */
  close(reason?: string): void {
    if (this.closed) return;
    if (reason !== undefined) this.comment(reason);
    this.finish();
    this.response.end();
  }

  private write(chunk: string | Buffer): void {
    if (this.closed) return;
    this.response.write(chunk);
    if (this.response.writableLength > this.options.bufferLimitBytes) {
      // The client is not reading: drop it rather than hold its backlog.
      this.finish();
      this.response.destroy();
    }
  }

  private armExpiry(): void {
    const wait = this.options.expiresAt.getTime() - Date.now();
    if (wait <= 0) {
      this.close('session expired');
      return;
    }
    this.expiry = setTimeout(
      () => {
        this.armExpiry();
      },
      Math.min(wait, MAX_TIMER_MS),
    );
  }

  /** At the session's idle deadline, the stream ends with the session unless activity moved it. */
  private armIdleCheck(at: Date): void {
    if (this.closed) return;
    this.idleCheck = setTimeout(
      () => {
        this.options.idle.recheck().then(
          (next) => {
            if (next === 'over') this.close('session expired');
            else this.armIdleCheck(next);
          },
          () => {
            this.armIdleCheck(new Date(Date.now() + RECHECK_RETRY_MS));
          },
        );
      },
      Math.min(Math.max(0, at.getTime() - Date.now()), MAX_TIMER_MS),
    );
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.expiry);
    clearTimeout(this.idleCheck);
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}
