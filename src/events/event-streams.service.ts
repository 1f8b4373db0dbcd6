import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { AuthContext } from '../auth/auth-context.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { type SessionDeadlines, SessionsService } from '../sessions/sessions.service.js';
import { STAFF_ROLES } from '../users/role.js';
import type { DomainEvent } from './domain-event.js';
import { EventBus } from './event-bus.js';
import { EventLog, type Replay } from './event-log.js';
import { LiveStream } from './live-stream.js';
import { type StreamLease, StreamLeases } from './stream-leases.js';

/** Contract: at most 5 open event streams per session. */
export const MAX_STREAMS_PER_SESSION = 5;

/** `Retry-After` of a stream refused for the cap. */
const STREAM_CAP_RETRY_SECONDS = 5;

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  connection: 'keep-alive',
  // nginx would otherwise buffer the stream and deliver events late, in batches.
  'x-accel-buffering': 'no',
} as const;

/**
 * Opens and tracks the live event streams of this instance (`GET /api/events`): replays what a
 * reconnecting client missed from the event log, then forwards bus events to the streams they
 * are for. On shutdown every stream gets a last comment and is closed.
 */
@Injectable()
export class EventStreams implements OnModuleDestroy {
  private readonly logger = new Logger('EventStreams');
  private readonly streams = new Set<LiveStream>();
  private shuttingDown = false;
  private openingCount = 0;

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly bus: EventBus,
    private readonly log: EventLog,
    private readonly sessions: SessionsService,
    private readonly leases: StreamLeases,
  ) {}

  /** Number of open streams on this instance. */
  get size(): number {
    return this.streams.size;
  }

  /** Number of requests on this instance whose stream is still being set up. */
  get opening(): number {
    return this.openingCount;
  }

  /**
   * Answers the request with a stream (hijacking the reply), or throws before anything is sent:
   * RATE_LIMITED past the per-session cap, SERVICE_UNAVAILABLE while shutting down.
   */
  async open(
    auth: AuthContext,
    lastEventId: string | undefined,
    reply: FastifyReply,
  ): Promise<void> {
    this.openingCount += 1;
    try {
      await this.setUp(auth, lastEventId, reply);
    } finally {
      this.openingCount -= 1;
    }
  }

  private async setUp(
    auth: AuthContext,
    lastEventId: string | undefined,
    reply: FastifyReply,
  ): Promise<void> {
    // Subscribed first, before anything that waits (the lease may wait on Redis): every event
    // committed from here on reaches this stream, a `session.revoked` included, and events that
    // arrive while the stream is being set up wait here and go out after the replay.
    let early: DomainEvent[] | undefined = [];
    const target: { stream?: LiveStream } = {};
    // Ids follow commit order, so every event for this stream with an id in (Last-Event-ID,
    // last replayed id] was in the replay. This instance may hear of some of them only after
    // the replay (Redis or the log relay brings them a moment later): those are not sent again.
    let replayed: { after: bigint; upTo: bigint } | undefined;
    const wasReplayed = (event: DomainEvent): boolean => {
      if (replayed === undefined || event.id === undefined) return false;
      const id = BigInt(event.id);
      return id > replayed.after && id <= replayed.upTo;
    };
    const unsubscribe = this.bus.subscribe((event) => {
      if (early) early.push(event);
      else if (!wasReplayed(event)) target.stream?.deliver(event);
    });
    let lease: StreamLease | undefined;
    let replay: Replay | undefined;
    let deadlines: SessionDeadlines;
    try {
      lease = await this.leases.acquire(auth.sessionId, MAX_STREAMS_PER_SESSION);
      if (!lease) {
        throw new AppError(
          ErrorCode.RATE_LIMITED,
          `At most ${MAX_STREAMS_PER_SESSION} event streams may be open per session.`,
          undefined,
          // A slot frees up when one of the session's streams closes; no window to wait out.
          { 'Retry-After': String(STREAM_CAP_RETRY_SECONDS) },
        );
      }
      // Checked once the lease is held: shutdown may have begun while it was being taken.
      if (this.shuttingDown) throw new AppError(ErrorCode.SERVICE_UNAVAILABLE);
      // The guard let the token in before the waits above: a revocation that committed since
      // (on any instance) is in the session's row; one that commits later reaches the
      // subscription. Read from the row, not a cache: one primary-key read per stream.
      deadlines = await this.sessions.assertActive(auth.sessionId);
      if (lastEventId !== undefined) {
        replay = await this.log.replay(lastEventId, {
          userId: auth.userId,
          sessionId: auth.sessionId,
          seesAllOrders: STAFF_ROLES.includes(auth.role),
        });
      }
    } catch (error) {
      unsubscribe();
      lease?.release();
      throw error;
    }
    const held = lease;

    // From here on the stream is written by hand; Fastify and Nest leave the reply alone.
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { ...headersOf(reply), ...SSE_HEADERS });
    const live = new LiveStream(auth, raw, {
      heartbeatMs: this.config.events.heartbeatSeconds * 1000,
      bufferLimitBytes: this.config.events.streamBufferBytes,
      expiresAt: deadlines.expiresAt,
      idle: { at: deadlines.idleExpiresAt, recheck: () => this.idleDeadline(auth.sessionId) },
    });
    target.stream = live;
    this.streams.add(live);
    live.onClose(() => {
      unsubscribe();
      held.release();
      this.streams.delete(live);
    });
    // Sends the headers at once, so the client knows the stream is open.
    live.comment('connected');

    if (replay?.kind === 'resync') {
      live.send(replay.latestId, { event: 'resync', data: {} });
    } else if (replay) {
      for (const event of replay.events) live.deliver(event);
      const last = replay.events.at(-1);
      if (lastEventId !== undefined && last) {
        replayed = { after: BigInt(lastEventId), upTo: BigInt(last.id) };
      }
    }
    const waiting = early;
    early = undefined;
    for (const event of waiting) if (!wasReplayed(event)) live.deliver(event);
    live.start();
  }

  /** The session's idle deadline as it is now, or `over` once it has been reached or revoked. */
  private async idleDeadline(sessionId: string): Promise<Date | 'over'> {
    try {
      return (await this.sessions.assertActive(sessionId)).idleExpiresAt;
    } catch (error) {
      if (error instanceof AppError && error.code === ErrorCode.SESSION_REVOKED) return 'over';
      throw error;
    }
  }

  onModuleDestroy(): void {
    this.shuttingDown = true;
    if (this.streams.size > 0) this.logger.log(`Closing ${this.streams.size} event streams`);
    for (const stream of [...this.streams]) stream.close('server shutting down');
  }
}

/** Headers already set on the reply by hooks (security headers, request id), kept on the stream. */
function headersOf(reply: FastifyReply): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value : String(value);
  }
  return headers;
}
