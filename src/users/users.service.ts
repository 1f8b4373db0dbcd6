import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, In, type Repository } from 'typeorm';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { isUniqueViolation } from '../database/postgres-errors.js';
import { UserEntity } from './entities/user.entity.js';
import type { Role } from './role.js';
import { PasswordHasher } from './password-hasher.js';

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  password: string;
}

/** Owns the `users` table: lookups, creation and password checks. */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly hasher: PasswordHasher,
  ) {}

  findById(id: string, manager?: EntityManager): Promise<UserEntity | null> {
    return this.repository(manager).findOneBy({ id });
  }

  /** Case-insensitive lookup of a trimmed email. */
  findByEmail(email: string, manager?: EntityManager): Promise<UserEntity | null> {
    return this.repository(manager)
      .createQueryBuilder('user')
      .where('lower(user.email) = lower(:email)', { email: email.trim() })
      .getOne();
  }

  /** Creates a user; an email already in use (in any letter case) is `EMAIL_TAKEN`. */
  async create(input: NewUser, manager?: EntityManager): Promise<UserEntity> {
    const user = this.repository(manager).create({
      id: randomUUID(),
      email: input.email.trim(),
      name: input.name.trim(),
      role: input.role,
      passwordHash: await this.hasher.hash(input.password),
      active: true,
    });
    try {
      return await this.repository(manager).save(user);
    } catch (error) {
      if (isUniqueViolation(error, 'uq_users_email')) throw new AppError(ErrorCode.EMAIL_TAKEN);
      throw error;
    }
  }

  /** Creates the user unless one with that email exists; used by the demo seed. */
  async ensure(input: NewUser, manager?: EntityManager): Promise<UserEntity> {
    return (await this.findByEmail(input.email, manager)) ?? this.create(input, manager);
  }

  /** Several users by id, in no particular order; unknown ids are skipped. */
  findByIds(ids: readonly string[], manager?: EntityManager): Promise<UserEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.repository(manager).findBy({ id: In([...ids]) });
  }

  /**
   * Locks the user's row until `manager`'s transaction ends (`SELECT … FOR UPDATE`), so work
   * that counts per user (sessions at login) is serialised per user. Returns the user, if any.
   */
  lockById(id: string, manager: EntityManager): Promise<UserEntity | null> {
    return manager
      .getRepository(UserEntity)
      .createQueryBuilder('user')
      .setLock('pessimistic_write')
      .where('user.id = :id', { id })
      .getOne();
  }

  /**
   * Replaces the user's password hash (made with {@link PasswordHasher.hash} before the
   * transaction, so the slow hashing does not hold it open).
   */
  async setPasswordHash(id: string, passwordHash: string, manager?: EntityManager): Promise<void> {
    await this.repository(manager).update({ id }, { passwordHash });
  }

  private repository(manager?: EntityManager): Repository<UserEntity> {
    return manager ? manager.getRepository(UserEntity) : this.users;
  }
}
