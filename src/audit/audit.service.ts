import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import {
  countQueryUpTo,
  countUpTo,
  type Page,
  type PageTotal,
  pageWindow,
  totalWithPage,
} from '../common/pagination.js';
import { LISTED_PEOPLE_LIMIT, containsPattern, idsOfUsersMatchingSql } from '../users/users-sql.js';
import { UsersService } from '../users/users.service.js';
import { sanitizeAuditDetails } from './audit-details.js';
import type { AuditEventType } from './audit-event-type.js';
import { peopleNamedBy, toAuditEventView } from './audit-event-view.js';
import type { AuditEventDto } from './dto/audit-event.dto.js';
import type { AuditQueryDto } from './dto/audit-query.dto.js';
import { AuditEventEntity } from './entities/audit-event.entity.js';
import { RECENT_SIGN_INS_LIMIT, type SignInView, toSignInView } from './sign-in-view.js';

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
    const parameters: Record<string, unknown> = {};
    const filters = listFilters(query, parameters);
    const search =
      query.q === undefined || query.q === ''
        ? undefined
        : await this.searchBranches(query.q, parameters);
    const where = (conditions: string[]): string =>
      conditions.length === 0 ? 'TRUE' : conditions.map((c) => `(${c})`).join(' AND ');

    const window = pageWindow(query);
    const { skip, take } = window;
    const builder = this.events
      .createQueryBuilder('event')
      .where(where(search === undefined ? filters : [...filters, anyOf(search)]), parameters);
    const counted =
      search === undefined
        ? await countQueryUpTo(builder)
        : await this.countSearch(filters, search, parameters);
    const rows = await builder
      .orderBy('event.at', 'DESC')
      .addOrderBy('event.seq', 'DESC')
      .offset(skip)
      .limit(take)
      .getMany();
    const people = new Map(
      (await this.users.findByIds(peopleNamedBy(rows))).map((user) => [user.id, user]),
    );
    return {
      items: rows.map((row) => toAuditEventView(row, people)),
      ...totalWithPage(counted, window, rows.length),
    };
  }

  /**
   * The conditions `q` matches by, each served by its own index: the person an entry is about
   * (ix_audit_events_user_at), the one who acted (ix_audit_events_actor_at) and the address a
   * failed sign-in named (ix_audit_events_failed_email_trgm). The people are looked up first, so
   * the entries are found by their ids; past {@link LISTED_PEOPLE_LIMIT} of them the ids stay a
   * subquery (same answer, a plan the database chooses). Sets `parameters`' `pattern` and `people`.
   */
  private async searchBranches(
    text: string,
    parameters: Record<string, unknown>,
  ): Promise<string[]> {
    const pattern = containsPattern(text);
    parameters.pattern = pattern;
    const failedSignIn = `event.type IN ('login_failed', 'login_rate_limited')
                          AND event.details->>'email' ILIKE :pattern ESCAPE '\\'`;
    const ids = await this.users.idsMatching(text, LISTED_PEOPLE_LIMIT + 1);
    if (ids.length === 0) return [failedSignIn];
    const listed = ids.length <= LISTED_PEOPLE_LIMIT;
    if (listed) parameters.people = ids;
    const people = listed ? ':...people' : idsOfUsersMatchingSql(':pattern');
    const peopleAsText = listed ? ':...people' : idsOfUsersMatchingSql(':pattern', true);
    return [
      `event.user_id IN (${people})`,
      // `?` keeps to the partial index of the few entries that name an actor.
      `event.details ? 'actorId' AND event.details->>'actorId' IN (${peopleAsText})`,
      failedSignIn,
    ];
  }

  /**
   * The total of a `q` search: the branches' entries one after another (UNION ALL), each branch
   * leaving out what an earlier one matched, so each reads its own index and the count stops at
   * the cap. One OR over the table would be planned as a scan of every entry.
   */
  private countSearch(
    filters: string[],
    branches: string[],
    parameters: Record<string, unknown>,
  ): Promise<PageTotal> {
    const selects = branches.map((branch, index) => {
      const earlier = branches.slice(0, index).map((other) => `(${other}) IS NOT TRUE`);
      return this.events
        .createQueryBuilder('event')
        .select('1')
        .where([...filters, branch, ...earlier].map((c) => `(${c})`).join(' AND '))
        .getQuery();
    });
    const [sql, params] = this.events.manager.dataSource.driver.escapeQueryWithParameters(
      selects.join(' UNION ALL '),
      parameters,
    );
    return countUpTo(this.events.manager, sql, params);
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

/** The list's filters other than `q`, as conditions on `event`; fills in `parameters`. */
function listFilters(query: AuditQueryDto, parameters: Record<string, unknown>): string[] {
  const conditions: string[] = [];
  if (query.type !== undefined) {
    conditions.push('event.type IN (:...types)');
    parameters.types = query.type;
  }
  if (query.from !== undefined) {
    conditions.push('event.at >= :from');
    parameters.from = new Date(query.from);
  }
  if (query.to !== undefined) {
    conditions.push('event.at < :to');
    parameters.to = new Date(query.to);
  }
  if (query.userId !== undefined) {
    conditions.push('event.user_id = :userId');
    parameters.userId = query.userId;
  }
  return conditions;
}

/** One condition: any of `conditions`. */
function anyOf(conditions: string[]): string {
  return conditions.map((c) => `(${c})`).join(' OR ');
}
