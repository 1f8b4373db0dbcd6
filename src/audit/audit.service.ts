import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { type CursorKey, cursorInstantSql, cursorKeyOf } from '../common/list-cursor.js';
import {
  countQueryUpTo,
  countUpTo,
  type CursorPage,
  cutPage,
  type PageTotal,
  pageWindow,
  totalWithCursorPage,
  totalWithPage,
} from '../common/pagination.js';
import { selectRows } from '../database/sql-rows.js';
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

  /**
   * Newest first; events of the same instant in reverse insertion order, so pages are stable. A
   * page at a time by `page`, or after `cursor` (a keyset read: the same cost at any depth).
   */
  async list(query: AuditQueryDto): Promise<CursorPage<AuditEventDto>> {
    const parameters: Record<string, unknown> = {};
    const filters = listFilters(query, parameters);
    const search =
      query.q === undefined || query.q === ''
        ? undefined
        : await this.searchBranches(query.q, parameters);
    const before = query.cursor === undefined ? undefined : cursorKeyOf(query.cursor, 'audit');
    const window = before === undefined ? pageWindow(query) : { skip: 0, take: query.limit };

    const counted =
      search === undefined
        ? await countQueryUpTo(
            this.events.createQueryBuilder('event').where(allOf(filters), parameters),
          )
        : await this.countSearch(filters, search, parameters);
    const keys =
      counted.total === 0 ? [] : await this.pageKeys(filters, search, before, window, parameters);
    const page = cutPage(keys, window.take, 'audit', (key) => ({ at: key.at, tie: key.seq }));
    const rows = await this.eventsInOrder(page.rows.map((key) => key.id));
    const people = new Map(
      (await this.users.findByIds(peopleNamedBy(rows))).map((user) => [user.id, user]),
    );
    const total =
      before === undefined
        ? totalWithPage(counted, window, page.rows.length)
        : totalWithCursorPage(counted, page.rows.length, page.nextCursor !== null);
    return {
      items: rows.map((row) => toAuditEventView(row, people)),
      ...total,
      nextCursor: page.nextCursor,
    };
  }

  /**
   * The entries of a page (one more than `window.take`, to tell whether the list goes on), as
   * their ids and keys, newest first. With `before`, only the entries after that one in the
   * list's order (`(at, seq) < …`): each index in `(…, at DESC, seq DESC)` answers from that
   * point on, and a walk of `ix_audit_events_at` that filters (a `q` search as one OR, planned
   * as the page has always been) starts there and stops after the page, so depth costs nothing.
   *
   * A union of the search's branches, each limited to the page (as the count reads them), was
   * tried and measured slower on a year of data: a branch whose few matches the planner
   * overestimates (the actors of `q=schmidt`: 1,953 guessed, none there) was read by walking every
   * entry newest first (3.8 s), and the dense branches were slower apart than in one OR.
   */
  private async pageKeys(
    filters: string[],
    search: string[] | undefined,
    before: CursorKey | undefined,
    window: { skip: number; take: number },
    parameters: Record<string, unknown>,
  ): Promise<{ id: string; seq: string; at: string }[]> {
    const conditions = search === undefined ? [...filters] : [...filters, anyOf(search)];
    if (before !== undefined) {
      parameters.beforeAt = before.at;
      parameters.beforeSeq = before.tie;
      conditions.push(
        'event.at <= CAST(:beforeAt AS timestamptz)',
        '(event.at, event.seq) < (CAST(:beforeAt AS timestamptz), CAST(:beforeSeq AS bigint))',
      );
    }
    const [text, params] = this.events.manager.dataSource.driver.escapeQueryWithParameters(
      `SELECT page.id, page.seq::text AS seq, ${cursorInstantSql('page.at')} AS at
         FROM (SELECT event.id, event.seq, event.at FROM audit_events event
                WHERE ${allOf(conditions)}
                ORDER BY event.at DESC, event.seq DESC
                OFFSET ${String(window.skip)} LIMIT ${String(window.take + 1)}) AS page
        ORDER BY page.at DESC, page.seq DESC`,
      parameters,
    );
    return selectRows(this.events.manager, text, params);
  }

  /** The entries with these ids, in the order of `ids`. */
  private async eventsInOrder(ids: string[]): Promise<AuditEventEntity[]> {
    if (ids.length === 0) return [];
    const found = new Map(
      (await this.events.createQueryBuilder('event').whereInIds(ids).getMany()).map((event) => [
        event.id,
        event,
      ]),
    );
    return ids.flatMap((id) => {
      const event = found.get(id);
      return event === undefined ? [] : [event];
    });
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
    const selects = branchConditions(filters, branches).map((conditions) =>
      this.events.createQueryBuilder('event').select('1').where(allOf(conditions)).getQuery(),
    );
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

/** One condition: all of `conditions` (TRUE for none). */
function allOf(conditions: readonly string[]): string {
  return conditions.length === 0 ? 'TRUE' : conditions.map((c) => `(${c})`).join(' AND ');
}

/**
 * The conditions of each branch of a `q` search: the list's filters, the branch, and that no
 * earlier branch matched the entry, so the branches' union holds each entry once.
 */
function branchConditions(filters: readonly string[], branches: readonly string[]): string[][] {
  return branches.map((branch, index) => [
    ...filters,
    branch,
    ...branches.slice(0, index).map((other) => `(${other}) IS NOT TRUE`),
  ]);
}
