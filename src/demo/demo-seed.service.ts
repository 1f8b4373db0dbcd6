import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { AdvisoryLock, withAdvisoryLock } from '../database/advisory-lock.js';
import { EventOutbox } from '../events/event-outbox.js';
import { MenuService } from '../menu/menu.service.js';
import { type NewUser, UsersService } from '../users/users.service.js';
import { DEMO_ACCOUNTS } from './demo-accounts.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

/** Whether a listening address is reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host);
}

/** Seeds the demo accounts once, idempotently, when the configuration asks for demo data. */
@Injectable()
export class DemoSeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger('DemoSeed');

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly menu: MenuService,
    private readonly outbox: EventOutbox,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.seedDemo) {
      const { events } = await withAdvisoryLock(
        this.dataSource,
        AdvisoryLock.DemoSeed,
        async (connection) => {
          for (const account of DEMO_ACCOUNTS) await this.users.ensure(account, connection);
          return this.outbox.transactionOn(connection, (tx) => this.menu.ensureDemoMenu(tx));
        },
      );
      // Once the lock's connection is free: delivering them reads the log.
      await this.outbox.publish(events);
    }
    if (!isLoopbackHost(this.config.host)) await this.warnAboutExposedDemoAccounts();
  }

  /** The demo accounts that exist and are active, with their published passwords. */
  async activeAccounts(): Promise<NewUser[]> {
    const active: NewUser[] = [];
    for (const account of DEMO_ACCOUNTS) {
      const user = await this.users.findByEmail(account.email);
      if (user?.active) active.push(account);
    }
    return active;
  }

  private async warnAboutExposedDemoAccounts(): Promise<void> {
    const present = (await this.activeAccounts()).map(
      (account) => `${account.email} / ${account.password}`,
    );
    if (present.length === 0) return;
    this.logger.warn(
      `DEMO ACCOUNTS WITH PUBLISHED PASSWORDS EXIST (${present.join(', ')}) and the server listens on ${this.config.host}: anyone who can reach it can sign in. Deactivate them or listen on 127.0.0.1.`,
    );
  }
}
