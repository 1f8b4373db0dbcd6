import type { DataSource, EntityManager } from 'typeorm';

/**
 * Keys of the PostgreSQL advisory locks that serialise work across instances. One list, so no
 * two kinds of work ever share a key by accident.
 */
export enum AdvisoryLock {
  Migrations = 7_301_001,
  DemoSeed = 7_301_002,
  SessionMaintenance = 7_301_003,
  /** Held from an event log insert to its commit, so ids follow commit order. */
  EventLogAppend = 7_301_004,
  EventLogPruning = 7_301_005,
  /** Held while the mail job claims due messages (never while it sends them). */
  MailDelivery = 7_301_006,
  /** Held while old mail, spent links and long-unseen devices are deleted. */
  MailRetention = 7_301_007,
  /** Held while audit entries past their retention are deleted. */
  AuditRetention = 7_301_008,
  /** Held while the report summaries of old days are computed and stored. */
  ReportDaysFill = 7_301_009,
}

/**
 * Runs `work` while holding a session-level advisory lock, on one dedicated connection: `work`
 * must do all its queries through the manager it is given (the embedded database has only one).
 */
export async function withAdvisoryLock<T>(
  dataSource: DataSource,
  lock: AdvisoryLock,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [lock]);
    try {
      return await work(runner.manager);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [lock]);
    }
  } finally {
    await runner.release();
  }
}
