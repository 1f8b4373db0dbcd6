import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
import type { AuthContext } from '../auth/auth-context.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { countQueryUpTo, type Page, pageWindow, totalWithPage } from '../common/pagination.js';
import { LISTED_PEOPLE_LIMIT, containsPattern, idsOfUsersMatchingSql } from '../users/users-sql.js';
import { UsersService } from '../users/users.service.js';
import type { AdminSessionsQueryDto } from './dto/admin-sessions-query.dto.js';
import { SessionEntity } from './entities/session.entity.js';
import { type AdminSessionView, type SessionView, toSessionView } from './session-view.js';
import { SessionRevoker } from './session-revoker.js';

/** Lists sessions and ends them on request: the caller's own, or anyone's for admins. */
@Injectable()
export class SessionDirectoryService {
  constructor(
    @InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>,
    private readonly users: UsersService,
    private readonly revoker: SessionRevoker,
  ) {}

  /** The caller's active sessions, most recently active first. */
  async listOwn(auth: AuthContext): Promise<SessionView[]> {
    const rows = await this.active('session')
      .andWhere('session.user_id = :userId', { userId: auth.userId })
      .orderBy('session.last_active_at', 'DESC')
      .addOrderBy('session.id', 'ASC')
      .getMany();
    return rows.map((row) => toSessionView(row, auth.sessionId));
  }

  /** Ends one of the caller's sessions; someone else's (or an unknown id) is `NOT_FOUND`. */
  async revokeOwn(auth: AuthContext, sessionId: string, ip: string | null): Promise<void> {
    const session = await this.sessions.findOneBy({ id: sessionId, userId: auth.userId });
    if (!session) throw new AppError(ErrorCode.NOT_FOUND, 'No such session.');
    await this.revoker.revoke({ sessionId, userId: auth.userId }, 'logout', { ip });
  }

  /** Active sessions of everyone, filtered, most recently active first, with their users. */
  async listAll(query: AdminSessionsQueryDto, auth: AuthContext): Promise<Page<AdminSessionView>> {
    // The list's conditions go on both: the list itself, and the same without the deadlines for
    // the planner's estimate of a long list (see the count below).
    const builder = this.active('session');
    const notRevoked = this.sessions
      .createQueryBuilder('session')
      .where('session.revoked_at IS NULL');
    const filter = (condition: string, parameters?: ObjectLiteral): void => {
      builder.andWhere(condition, parameters);
      notRevoked.andWhere(condition, parameters);
    };
    if (query.userId !== undefined) filter('session.user_id = :userId', { userId: query.userId });
    if (query.role !== undefined) filter('session.role = :role', { role: query.role });
    if (query.app !== undefined) filter('session.app = :app', { app: query.app });
    const window = pageWindow(query);
    if (query.q !== undefined && query.q !== '') {
      // The people first (the users' trigram indexes), then their sessions by user id: checking
      // each active session's user instead cost a primary-key probe per session (180 ms over a
      // year's 38,000).
      const people = await this.users.idsMatching(query.q, LISTED_PEOPLE_LIMIT + 1);
      if (people.length === 0) return { items: [], total: 0, totalIsEstimate: false };
      if (people.length <= LISTED_PEOPLE_LIMIT) {
        filter('session.user_id IN (:...people)', { people });
      } else {
        // Run once and hashed: as a join, the planner takes the active sessions for ~100 rows
        // (three correlated conditions; a year has 38,000) and probes users once per session
        // (143 ms against 27 ms).
        filter(`session.user_id IN (${idsOfUsersMatchingSql(':pattern', false, true)})`, {
          pattern: containsPattern(query.q),
        });
      }
    }
    const { skip, take } = window;
    // Past 10,000 the total is the planner's estimate, taken without the two deadlines: it
    // multiplies three correlated conditions and put a year's 38,000 active sessions at ~100.
    // Session maintenance revokes overdue sessions, so the sessions not revoked are the active
    // ones and the few overdue that it has not reached yet.
    const counted = await countQueryUpTo(builder, notRevoked);
    const rows = await builder
      .orderBy('session.last_active_at', 'DESC')
      .addOrderBy('session.id', 'ASC')
      .offset(skip)
      .limit(take)
      .getMany();
    const users = new Map(
      (await this.users.findByIds([...new Set(rows.map((row) => row.userId))])).map((user) => [
        user.id,
        user,
      ]),
    );
    const items = rows.flatMap((row) => {
      const user = users.get(row.userId);
      if (!user) return [];
      return [
        {
          ...toSessionView(row, auth.sessionId),
          user: { id: user.id, email: user.email, name: user.name, role: user.role },
        },
      ];
    });
    return { items, ...totalWithPage(counted, window, rows.length) };
  }

  /** Ends any session (reason `admin`); an unknown id is `NOT_FOUND`. */
  async revokeAny(sessionId: string, auth: AuthContext, ip: string | null): Promise<void> {
    if (!(await this.sessions.existsBy({ id: sessionId }))) {
      throw new AppError(ErrorCode.NOT_FOUND, 'No such session.');
    }
    await this.revoker.revoke({ sessionId }, 'admin', { actorId: auth.userId, ip });
  }

  /** Ends every session of a user (reason `admin`); an unknown user is `NOT_FOUND`. */
  async revokeAllOfUser(userId: string, auth: AuthContext, ip: string | null): Promise<void> {
    if (!(await this.users.findById(userId))) {
      throw new AppError(ErrorCode.NOT_FOUND, 'No such user.');
    }
    await this.revoker.revoke({ userId }, 'admin', { actorId: auth.userId, ip });
  }

  /** Sessions that can still be used: not revoked, not past either deadline. */
  private active(alias: string): SelectQueryBuilder<SessionEntity> {
    return this.sessions
      .createQueryBuilder(alias)
      .where(`${alias}.revoked_at IS NULL`)
      .andWhere(`${alias}.expires_at > now()`)
      .andWhere(`${alias}.idle_expires_at > now()`);
  }
}
