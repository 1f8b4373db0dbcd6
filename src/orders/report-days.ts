import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { selectRows } from '../database/sql-rows.js';
import { addDays, businessDay, daysBetween } from './business-day.js';
import type { ReportRange } from './report-range.js';

/**
 * The sales figures of one business day, as stored in `report_days.sales` (and computed live
 * for days that are not): completed orders and their revenue; VAT per rate
 * (`[rate, netCents, vatCents]`, lowest rate first, each line rounded on its own); the payment
 * figures of every order placed that day (`[paid, tip, refunded, unpaid]`); per payment method
 * (`[method, amount, tip, refunded]`); per menu item of the completed orders
 * (`[menuItemId, quantity, revenueCents, name of its latest line, that line's order time in µs]`).
 */
export interface DaySales {
  readonly orders: number;
  readonly revenueCents: number;
  readonly vat: readonly (readonly [number, number, number])[];
  readonly money: readonly [number, number, number, number];
  readonly methods: readonly (readonly [string, number, number, number])[];
  readonly items: readonly (readonly [string, number, number, string, number])[];
}

/**
 * The service figures of one business day: orders placed per hour of the day in VENUE_TIMEZONE
 * (24 counts, every order), and the waits to the first `accepted` and the first `ready` as
 * histograms (`[seconds, orders]`, ascending): to the second up to 10 minutes, to 10 seconds up
 * to 3 hours, to the minute beyond (see {@link WAIT_BUCKET}).
 */
export interface DayService {
  readonly hours: readonly number[];
  readonly accept: readonly (readonly [number, number])[];
  readonly ready: readonly (readonly [number, number])[];
}

const EMPTY_SALES: DaySales = {
  orders: 0,
  revenueCents: 0,
  vat: [],
  money: [0, 0, 0, 0],
  methods: [],
  items: [],
};

const EMPTY_SERVICE: DayService = {
  hours: Array.from({ length: 24 }, () => 0),
  accept: [],
  ready: [],
};

/**
 * Days up to this many days before today (UTC, by the database's clock) are stored. The
 * triggers on `orders` run for days up to two days back (see ReportDays1733840000000), so a
 * transaction that changes a stored day ran them unless it started over a day before it
 * committed; a venue's day is at most 14 hours ahead of UTC, so today's orders never do.
 */
const STORED_DAYS_BACK = 3;
/**
 * How many days back (from the newest that can be stored) are stored: a year and a day, the
 * longest report range. An older day asked for is computed each time and not stored, so reports
 * of any past range cannot make `report_days` grow without end.
 */
export const STORED_DAYS = 366;
/** How long storing a day waits for a writer's lock on its row before giving up the saving. */
const STORE_LOCK_TIMEOUT = '1s';

/** A wait in seconds (`x`, numeric) rounded to its histogram bucket. */
const WAIT_BUCKET = (x: string): string =>
  `CASE WHEN round(${x}) < 600 THEN round(${x})
        WHEN round(${x} / 10) * 10 < 10800 THEN round(${x} / 10) * 10
        ELSE round(${x} / 60) * 60 END`;

/** One statement: the sales figures of each of `$1` (dates) that has orders. */
const SALES_SQL = `
  WITH o AS MATERIALIZED (
    SELECT id, business_day, status, total_cents, created_at
      FROM orders WHERE business_day = ANY($1::date[])
  ), lines AS MATERIALIZED (
    SELECT o.business_day, o.created_at, i.menu_item_id, i.name, i.quantity,
           i.vat_rate_basis_points AS rate, i.unit_price_cents::bigint * i.quantity AS gross
      FROM o JOIN order_items i ON i.order_id = o.id
     WHERE o.status = 'completed'
  ), vat AS (
    SELECT business_day, jsonb_agg(jsonb_build_array(rate, gross - vat, vat) ORDER BY rate) AS vat
      FROM (SELECT business_day, rate, sum(gross) AS gross,
                   -- money.ts vatIncluded per line: floor((2·gross·rate + d) / 2d), d = 10000 + rate
                   sum((2 * gross * rate + 10000 + rate) / (2 * (10000 + rate))) AS vat
              FROM lines GROUP BY business_day, rate) AS v
     GROUP BY business_day
  ), items AS (
    SELECT business_day, jsonb_agg(jsonb_build_array(menu_item_id, quantity, revenue, name, at)) AS items
      FROM (SELECT business_day, menu_item_id, sum(quantity) AS quantity, sum(gross) AS revenue,
                   (array_agg(name ORDER BY created_at DESC, name COLLATE "C" DESC))[1] AS name,
                   (extract(epoch FROM max(created_at)) * 1000000)::bigint AS at
              FROM lines GROUP BY business_day, menu_item_id) AS t
     GROUP BY business_day
  ), pay AS MATERIALIZED (
    SELECT o.business_day, p.order_id, p.method, p.kind, p.amount_cents, p.tip_cents
      FROM o JOIN order_payments p ON p.order_id = o.id
  ), methods AS (
    SELECT business_day,
           jsonb_agg(jsonb_build_array(method, amount, tip, refunded) ORDER BY method) AS methods
      FROM (SELECT business_day, method,
                   COALESCE(sum(amount_cents) FILTER (WHERE kind = 'payment'), 0) AS amount,
                   COALESCE(sum(tip_cents), 0) AS tip,
                   COALESCE(sum(amount_cents) FILTER (WHERE kind = 'refund'), 0) AS refunded
              FROM pay GROUP BY business_day, method) AS m
     GROUP BY business_day
  ), per_order AS (
    SELECT order_id,
           COALESCE(sum(amount_cents) FILTER (WHERE kind = 'payment'), 0) AS payments,
           COALESCE(sum(amount_cents) FILTER (WHERE kind = 'refund'), 0) AS refunds,
           COALESCE(sum(tip_cents), 0) AS tip
      FROM pay GROUP BY order_id
  ), days AS (
    -- Each order's figures as its view works them out (a refund is not owed again), summed.
    SELECT o.business_day,
           count(*) FILTER (WHERE o.status = 'completed') AS orders,
           COALESCE(sum(o.total_cents) FILTER (WHERE o.status = 'completed'), 0) AS revenue,
           COALESCE(sum(p.payments - p.refunds), 0) AS paid,
           COALESCE(sum(p.tip), 0) AS tip,
           COALESCE(sum(p.refunds), 0) AS refunded,
           sum(CASE WHEN o.status = 'cancelled' THEN 0
                    ELSE GREATEST(o.total_cents - COALESCE(p.payments, 0), 0) END) AS unpaid
      FROM o LEFT JOIN per_order p ON p.order_id = o.id
     GROUP BY o.business_day
  )
  SELECT to_char(d.business_day, 'YYYY-MM-DD') AS date,
         jsonb_build_object(
           'orders', d.orders, 'revenueCents', d.revenue, 'vat', COALESCE(v.vat, '[]'),
           'money', jsonb_build_array(d.paid, d.tip, d.refunded, d.unpaid),
           'methods', COALESCE(m.methods, '[]'), 'items', COALESCE(i.items, '[]')) AS summary
    FROM days d
    LEFT JOIN vat v USING (business_day)
    LEFT JOIN items i USING (business_day)
    LEFT JOIN methods m USING (business_day)`;

/**
 * Each order's first `accepted` and `ready` after placement, in seconds: for a few days looked up
 * on the history's primary key per order (a hash join read every accepted and ready entry, 1.9 M
 * in a year: 0.9 s for the three days always computed live); for many days one hash join (the
 * lookups took 7.8 s for a year's million orders instead of 4.6 s).
 */
const WAITS_FEW_DAYS = `
    SELECT o.business_day,
           extract(epoch FROM w.accepted - o.created_at) AS accept,
           extract(epoch FROM w.ready - o.created_at) AS ready
      FROM o CROSS JOIN LATERAL (
             SELECT min(h.at) FILTER (WHERE h.status = 'accepted') AS accepted,
                    min(h.at) FILTER (WHERE h.status = 'ready') AS ready
               FROM order_history h
              WHERE h.order_id = o.id AND h.status IN ('accepted', 'ready')) AS w`;
const WAITS_MANY_DAYS = `
    SELECT o.business_day,
           extract(epoch FROM min(h.at) FILTER (WHERE h.status = 'accepted') - o.created_at) AS accept,
           extract(epoch FROM min(h.at) FILTER (WHERE h.status = 'ready') - o.created_at) AS ready
      FROM o JOIN order_history h ON h.order_id = o.id AND h.status IN ('accepted', 'ready')
     GROUP BY o.id, o.business_day, o.created_at`;
/** Up to this many days, {@link WAITS_FEW_DAYS}. */
const FEW_DAYS = 7;

/**
 * One statement: the service figures of each of `$1` (dates) that has orders, hours in `$2`.
 * Placement is the order's `created_at`; a wait ends at the first history entry of the status.
 */
const serviceSql = (waits: string): string => `
  WITH o AS MATERIALIZED (
    SELECT id, business_day, created_at FROM orders WHERE business_day = ANY($1::date[])
  ), hours AS (
    SELECT business_day, jsonb_agg(jsonb_build_array(hour, n)) AS hours
      FROM (SELECT business_day, extract(hour FROM created_at AT TIME ZONE $2::text)::int AS hour,
                   count(*) AS n
              FROM o GROUP BY 1, 2) AS h
     GROUP BY business_day
  ), waits AS (${waits}
  ), buckets AS (
    SELECT business_day,
           jsonb_agg(jsonb_build_array(s, n) ORDER BY s) FILTER (WHERE kind = 'a') AS accept,
           jsonb_agg(jsonb_build_array(s, n) ORDER BY s) FILTER (WHERE kind = 'r') AS ready
      FROM (SELECT business_day, 'a' AS kind, ${WAIT_BUCKET('accept')} AS s, count(*) AS n
              FROM waits WHERE accept IS NOT NULL GROUP BY 1, 2, 3
            UNION ALL
            SELECT business_day, 'r', ${WAIT_BUCKET('ready')}, count(*)
              FROM waits WHERE ready IS NOT NULL GROUP BY 1, 2, 3) AS b
     GROUP BY business_day
  )
  SELECT to_char(h.business_day, 'YYYY-MM-DD') AS date,
         jsonb_build_object('hours', h.hours, 'accept', COALESCE(b.accept, '[]'),
                            'ready', COALESCE(b.ready, '[]')) AS summary
    FROM hours h LEFT JOIN buckets b USING (business_day)`;

interface Kind<T> {
  readonly column: 'sales' | 'service';
  readonly other: 'sales' | 'service';
  readonly empty: T;
  compute(manager: EntityManager, days: string[], timeZone: string): Promise<Map<string, T>>;
}

const SALES: Kind<DaySales> = {
  column: 'sales',
  other: 'service',
  empty: EMPTY_SALES,
  async compute(manager, days) {
    const rows = await selectRows<{ date: string; summary: DaySales }>(manager, SALES_SQL, [days]);
    return new Map(rows.map((row) => [row.date, row.summary]));
  },
};

const SERVICE: Kind<DayService> = {
  column: 'service',
  other: 'sales',
  empty: EMPTY_SERVICE,
  async compute(manager, days, timeZone) {
    const rows = await selectRows<{
      date: string;
      summary: { hours: [number, number][]; accept: [number, number][]; ready: [number, number][] };
    }>(manager, serviceSql(days.length <= FEW_DAYS ? WAITS_FEW_DAYS : WAITS_MANY_DAYS), [
      days,
      timeZone,
    ]);
    return new Map(
      rows.map(({ date, summary }) => {
        const hours = Array.from({ length: 24 }, () => 0);
        for (const [hour, orders] of summary.hours) hours[hour] = orders;
        return [date, { hours, accept: summary.accept, ready: summary.ready }];
      }),
    );
  },
};

/**
 * The per-day figures of the reports: days up to {@link STORED_DAYS_BACK} days back are read
 * from `report_days` when stored (in the same VENUE_TIMEZONE), every other day is computed by
 * the same statement whether it is then stored or not, so a report is the same either way.
 * `report_days` is filled in the background too (see {@link ReportDaysFill}).
 *
 * The stored rows and the computed days are read in one REPEATABLE READ transaction (one
 * snapshot); a computed old day is then stored only if its version is still the one read, so a
 * change committed after the snapshot (which raised the version) is never overwritten.
 */
@Injectable()
export class ReportDays {
  private readonly logger = new Logger('ReportDays');

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** The sales figures of every day of `range`, oldest first. */
  async sales(range: ReportRange): Promise<{ date: string; day: DaySales }[]> {
    return (await this.load(range, SALES)).days;
  }

  /** The service figures of every day of `range`, oldest first. */
  async service(range: ReportRange): Promise<{ date: string; day: DayService }[]> {
    return (await this.load(range, SERVICE)).days;
  }

  /**
   * Computes and stores the days of `range` (up to three days back) that are not stored, on
   * `manager`'s connection; how many it stored. For the background fill ({@link ReportDaysFill}).
   */
  async fill(manager: EntityManager, range: ReportRange): Promise<number> {
    const sales = await this.load(range, SALES, manager);
    const service = await this.load(range, SERVICE, manager);
    return sales.stored + service.stored;
  }

  private async load<T>(
    range: ReportRange,
    kind: Kind<T>,
    on: EntityManager = this.dataSource.manager,
  ): Promise<{ days: { date: string; day: T }[]; stored: number }> {
    const timeZone = this.config.venueTimezone;
    const dates = Array.from({ length: daysBetween(range.from, range.to) + 1 }, (_, i) =>
      addDays(range.from, i),
    );
    // The last few days are never stored: computed on a connection of their own, alongside the
    // snapshot that reads the stored days (they need not share it, as nothing stores them). By
    // the server's clock; storing goes by the database's.
    const lastOld = addDays(businessDay(new Date(), 'UTC'), -STORED_DAYS_BACK);
    const old = dates.filter((date) => date <= lastOld);
    const recent = dates.filter((date) => date > lastOld);
    const alongside = on === this.dataSource.manager;
    const live = (): Promise<Map<string, T>> =>
      recent.length === 0
        ? Promise.resolve(new Map<string, T>())
        : kind.compute(on, recent, timeZone);
    const [read, recentDays] = await Promise.all([
      this.readOld(range, kind, on, old),
      alongside ? live() : Promise.resolve(undefined),
    ]);
    const computed = new Map([...read.computed, ...(recentDays ?? (await live()))]);
    // No old day asked for: nothing to store (and no last stored day to count back from).
    const oldestStored = read.lastStored === '' ? '' : addDays(read.lastStored, 1 - STORED_DAYS);
    const toStore = read.missing.filter((date) => date <= read.lastStored && date >= oldestStored);
    if (toStore.length > 0) {
      await this.store(
        on,
        kind,
        toStore.map((date) => ({
          date,
          version: read.versions.get(date) ?? 0,
          summary: computed.get(date) ?? kind.empty,
        })),
      );
    }
    const days = dates.map((date) => ({
      date,
      day: read.stored.get(date) ?? computed.get(date) ?? kind.empty,
    }));
    return { days, stored: toStore.length };
  }

  /**
   * In one REPEATABLE READ snapshot: the stored days of `range` and their versions, and the
   * figures of the days of `dates` not stored (in VENUE_TIMEZONE, up to three days back).
   */
  private async readOld<T>(
    range: ReportRange,
    kind: Kind<T>,
    on: EntityManager,
    dates: string[],
  ): Promise<{
    lastStored: string;
    stored: Map<string, T>;
    versions: Map<string, number>;
    missing: string[];
    computed: Map<string, T>;
  }> {
    const timeZone = this.config.venueTimezone;
    if (dates.length === 0) {
      return {
        lastStored: '',
        stored: new Map(),
        versions: new Map(),
        missing: [],
        computed: new Map(),
      };
    }
    return on.transaction('REPEATABLE READ', async (manager) => {
      const [state] = await selectRows<{
        lastStored: string;
        rows: { date: string; version: number; summary: T | null }[];
      }>(
        manager,
        `SELECT to_char((now() AT TIME ZONE 'UTC')::date - ${String(STORED_DAYS_BACK)},
                        'YYYY-MM-DD') AS "lastStored",
                COALESCE((SELECT json_agg(json_build_object(
                                   'date', to_char(r.business_day, 'YYYY-MM-DD'),
                                   'version', r.version,
                                   'summary', CASE WHEN r.time_zone = $3 THEN r.${kind.column} END))
                            FROM report_days r
                           WHERE r.business_day BETWEEN $1::date AND $2::date), '[]') AS rows`,
        [range.from, range.to, timeZone],
      );
      if (!state) throw new Error('The report days statement returned no row');
      const stored = new Map<string, T>();
      const versions = new Map<string, number>();
      for (const row of state.rows) {
        versions.set(row.date, row.version);
        if (row.summary !== null && row.date <= state.lastStored) stored.set(row.date, row.summary);
      }
      const missing = dates.filter((date) => !stored.has(date));
      const computed =
        missing.length === 0
          ? new Map<string, T>()
          : await kind.compute(manager, missing, timeZone);
      return { lastStored: state.lastStored, stored, versions, missing, computed };
    });
  }

  /**
   * Stores computed days, each in a statement of its own (so it never holds one day's row while
   * waiting for another's: no deadlock with a writer changing several days), and only where the
   * version is still the one read with the orders. A failure costs only the saving.
   *
   * A day's row is locked by any open transaction that changed one of its orders; a report (a
   * read) waits for it at most {@link STORE_LOCK_TIMEOUT} and then stores nothing more, rather
   * than queueing behind a writer with its connection (ten such reports held a pool of ten, and
   * every other request got 503).
   */
  private async store<T>(
    manager: EntityManager,
    kind: Kind<T>,
    days: { date: string; version: number; summary: T }[],
  ): Promise<void> {
    try {
      for (const day of days) {
        await manager.transaction(async (tx) => {
          await tx.query(`SET LOCAL lock_timeout = '${STORE_LOCK_TIMEOUT}'`);
          await tx.query(
            `INSERT INTO report_days AS r (business_day, version, time_zone, ${kind.column}, computed_at)
             VALUES ($1::date, $2, $3, $4::jsonb, now())
             ON CONFLICT (business_day) DO UPDATE
               SET ${kind.column} = EXCLUDED.${kind.column},
                   ${kind.other} = CASE WHEN r.time_zone = EXCLUDED.time_zone THEN r.${kind.other} END,
                   time_zone = EXCLUDED.time_zone, computed_at = EXCLUDED.computed_at
             WHERE r.version = EXCLUDED.version`,
            [day.date, day.version, this.config.venueTimezone, JSON.stringify(day.summary)],
          );
        });
      }
    } catch (error: unknown) {
      this.logger.warn({ err: error }, 'Could not store report days');
    }
  }
}
