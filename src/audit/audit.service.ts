import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, type EntityManager, type Repository } from 'typeorm';
import { countQueryUpTo, type Page, pageWindow } from '../common/pagination.js';
import { containsPattern, userMatchesSql } from '../users/users-sql.js';
import { UsersService } from '../users/users.service.js';
import { sanitizeAuditDetails } from './audit-details.js';
import type { AuditEventType } from './audit-event-type.js';
import { peopleNamedBy, toAuditEventView } from './audit-event-view.js';
import type { AuditEventDto } from './dto/audit-event.dto.js';
import type { AuditQueryDto } from './dto/audit-query.dto.js';
import { AuditEventEntity } from './entities/audit-event.entity.js';
import { RECENT_SIGN_INS_LIMIT, type SignInView, toSignInView } from './sign-in-view.js';

/** `details.actorId` as a uuid, or null where it is not one (never a cast error). */
const ACTOR_ID_SQL = `(CASE WHEN event.details->>'actorId' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                            THEN (event.details->>'actorId')::uuid END)`;

/** What happened, to whom, from where. Never put passwords or tokens in `details`. */
export interface AuditEntry {
  type: AuditEventType;
  userId?: string | null;
  sessionId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

/** Owns `audit_events`: writes security-relevant events and lists them for admins. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger('Audit');

  constructor(
    @InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>,
    private readonly users: UsersService,
  ) {}

  /**
   * Records one event. Pass the caller's transaction `manager` so the event commits (or rolls
   * back) with the change it describes; on the embedded database a query outside the open
   * transaction would wait for it forever. Secret-looking keys in `details` are dropped.
   */
  async record(entry: AuditEntry, manager?: EntityManager): Promise<void> {
    const { details, removed } = sanitizeAuditDetails(entry.details);
    if (removed.length > 0) {
      this.logger.warn({ type: entry.type, removed }, 'Secret-looking audit details were dropped');
    }
    await this.repository(manager)
      .createQueryBuilder()
      .insert()
      .into(AuditEventEntity)
      .values({
        id: randomUUID(),
        type: entry.type,
        userId: entry.userId ?? null,
        sessionId: entry.sessionId ?? null,
        ip: entry.ip ?? null,
        details: () => 'CAST(:details AS jsonb)',
      })
      .setParameter('details', JSON.stringify(details))
      .execute();
  }

  /** Newest first; events of the same instant in reverse insertion order, so pages are stable. */
  async list(query: AuditQueryDto): Promise<Page<AuditEventDto>> {
    const builder = this.events.createQueryBuilder('event');
    if (query.type !== undefined)
      builder.andWhere('event.type IN (:...types)', { types: query.type });
    if (query.from !== undefined)
      builder.andWhere('event.at >= :from', { from: new Date(query.from) });
    if (query.to !== undefined) builder.andWhere('event.at < :to', { to: new Date(query.to) });
    if (query.userId !== undefined) {
      builder.andWhere('event.user_id = :userId', { userId: query.userId });
    }
    if (query.q !== undefined && query.q !== '') {
      // The person it is about, the one who acted, or the address a failed sign-in named.
      builder.andWhere(
        new Brackets((where) => {
          where
            .where(userMatchesSql('event.user_id', ':pattern'))
            .orWhere(userMatchesSql(ACTOR_ID_SQL, ':pattern'))
            .orWhere(
              `event.type IN ('login_failed', 'login_rate_limited')
                AND event.details->>'email' ILIKE :pattern ESCAPE '\\'`,
            );
        }),
        { pattern: containsPattern(query.q) },
      );
    }
    const { skip, take } = pageWindow(query);
    const counted = await countQueryUpTo(builder);
    const rows = await builder
      .orderBy('event.at', 'DESC')
      .addOrderBy('event.seq', 'DESC')
      .offset(skip)
      .limit(take)
      .getMany();
    const people = new Map(
      (await this.users.findByIds(peopleNamedBy(rows))).map((user) => [user.id, user]),
    );
    return { items: rows.map((row) => toAuditEventView(row, people)), ...counted };
  }

  /**
   * The user's last sign-in attempts (`login_succeeded`, `login_failed`), newest first. The
   * literal type list matches the partial index `ix_audit_events_sign_ins`, which serves it.
   */
  async recentSignIns(userId: string): Promise<SignInView[]> {
    const rows = await this.events
      .createQueryBuilder('event')
      .where('event.user_id = :userId', { userId })
      .andWhere(`event.type IN ('login_succeeded', 'login_failed') AND event.user_id IS NOT NULL`)
      .orderBy('event.at', 'DESC')
      .addOrderBy('event.seq', 'DESC')
      .limit(RECENT_SIGN_INS_LIMIT)
      .getMany();
    return rows.map(toSignInView);
  }

  private repository(manager?: EntityManager): Repository<AuditEventEntity> {
    return manager ? manager.getRepository(AuditEventEntity) : this.events;
  }
}
