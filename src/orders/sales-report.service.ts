import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { selectRows } from '../database/sql-rows.js';
import type { ReportRangeQueryDto } from './dto/report-range.dto.js';
import { vatIncluded } from './money.js';
import type { VatShareView } from './order-view.js';
import type { SalesByMethod, SalesDay, SalesReport } from './dto/sales-report.dto.js';
import { PAYMENT_METHODS } from './payments/payment-figures.js';
import { type ReportRange, reportRange } from './report-range.js';

const TOP_ITEMS = 10;

/** A day's payment figures (see `SalesReportService.moneyByDay`). */
interface DayMoney {
  readonly paidCents: number;
  readonly tipCents: number;
  readonly refundedCents: number;
  readonly unpaidCents: number;
}

/**
 * Sales of completed orders per business day (the day the order was placed, in VENUE_TIMEZONE),
 * best sellers and the total, aggregated by the database rather than in memory.
 */
@Injectable()
export class SalesReportService {
  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async report(query: ReportRangeQueryDto): Promise<SalesReport> {
    const range = this.range(query);
    const dayViews = await this.days(range);
    const topItems = await selectRows<{
      menuItemId: string;
      name: string;
      quantity: string;
      revenueCents: string;
    }>(
      this.dataSource.manager,
      `SELECT i.menu_item_id AS "menuItemId",
              (array_agg(i.name ORDER BY o.created_at DESC))[1] AS name,
              sum(i.quantity) AS quantity,
              sum(i.quantity * i.unit_price_cents) AS "revenueCents"
         FROM orders o JOIN order_items i ON i.order_id = o.id
        WHERE o.status = 'completed' AND o.business_day BETWEEN $1::date AND $2::date
        GROUP BY i.menu_item_id
        ORDER BY quantity DESC, "revenueCents" DESC, i.menu_item_id
        LIMIT ${TOP_ITEMS}`,
      [range.from, range.to],
    );
    const money = await this.money(range);
    return {
      ...money,
      days: dayViews,
      topItems: topItems.map((item) => ({
        menuItemId: item.menuItemId,
        name: item.name,
        quantity: Number(item.quantity),
        revenueCents: Number(item.revenueCents),
      })),
      totalRevenueCents: dayViews.reduce((sum, day) => sum + day.revenueCents, 0),
      vat: await this.vat(range),
    };
  }

  /**
   * The VAT of the range's completed orders per rate: the sum of each day's (see
   * {@link vatByDay}), so the report, the CSV and the orders' own breakdowns agree to the cent.
   */
  private async vat(range: ReportRange): Promise<VatShareView[]> {
    const byRate = new Map<number, { netCents: number; vatCents: number }>();
    for (const shares of (await this.vatByDay(range)).values()) {
      for (const share of shares) {
        const sum = byRate.get(share.rateBasisPoints) ?? { netCents: 0, vatCents: 0 };
        sum.netCents += share.netCents;
        sum.vatCents += share.vatCents;
        byRate.set(share.rateBasisPoints, sum);
      }
    }
    return [...byRate.entries()]
      .sort(([x], [y]) => x - y)
      .map(([rateBasisPoints, sum]) => ({ rateBasisPoints, ...sum }));
  }

  /**
   * The VAT of each day's completed orders per rate (days without any left out), each line
   * rounded on its own as in {@link vat}, so a day's shares add up to its revenue.
   */
  async vatByDay(range: ReportRange): Promise<Map<string, VatShareView[]>> {
    const groups = await selectRows<{
      date: string;
      grossCents: string;
      rate: number;
      lines: string;
    }>(
      this.dataSource.manager,
      `SELECT to_char(o.business_day, 'YYYY-MM-DD') AS date,
              i.unit_price_cents::bigint * i.quantity AS "grossCents",
              i.vat_rate_basis_points AS rate, count(*) AS lines
         FROM orders o JOIN order_items i ON i.order_id = o.id
        WHERE o.status = 'completed' AND o.business_day BETWEEN $1::date AND $2::date
        GROUP BY 1, 2, 3`,
      [range.from, range.to],
    );
    const days = new Map<string, VatShareView[]>();
    for (const group of groups) {
      const shares = days.get(group.date) ?? [];
      const gross = Number(group.grossCents);
      const lines = Number(group.lines);
      const vatCents = vatIncluded(gross, group.rate) * lines;
      const share = shares.find((entry) => entry.rateBasisPoints === group.rate);
      if (share === undefined) {
        shares.push({ rateBasisPoints: group.rate, netCents: gross * lines - vatCents, vatCents });
      } else {
        share.netCents += gross * lines - vatCents;
        share.vatCents += vatCents;
      }
      days.set(group.date, shares);
    }
    for (const shares of days.values())
      shares.sort((a, b) => a.rateBasisPoints - b.rateBasisPoints);
    return days;
  }

  /**
   * The payment figures of every order placed on the range's days, whatever its status: each
   * order's figures as its view works them out (paid = payments − refunds, balance 0 when
   * cancelled; a refund is not owed again), summed, and the payments and refunds per method.
   */
  private async money(
    range: ReportRange,
  ): Promise<
    Pick<SalesReport, 'paidCents' | 'tipCents' | 'refundedCents' | 'unpaidCents' | 'payments'>
  > {
    const days = [...(await this.moneyByDay(range)).values()];
    const total = (pick: (day: DayMoney) => number): number =>
      days.reduce((sum, day) => sum + pick(day), 0);
    const methods = await selectRows<{
      method: string;
      amountCents: string;
      tipCents: string;
      refundedCents: string;
    }>(
      this.dataSource.manager,
      `SELECT p.method,
              COALESCE(sum(p.amount_cents) FILTER (WHERE p.kind = 'payment'), 0) AS "amountCents",
              COALESCE(sum(p.tip_cents), 0) AS "tipCents",
              COALESCE(sum(p.amount_cents) FILTER (WHERE p.kind = 'refund'), 0) AS "refundedCents"
         FROM order_payments p JOIN orders o ON o.id = p.order_id
        WHERE o.business_day BETWEEN $1::date AND $2::date
        GROUP BY p.method`,
      [range.from, range.to],
    );
    const byMethod = new Map(methods.map((row) => [row.method, row]));
    const payments: SalesByMethod[] = PAYMENT_METHODS.map((method) => {
      const row = byMethod.get(method);
      return {
        method,
        amountCents: Number(row?.amountCents ?? 0),
        tipCents: Number(row?.tipCents ?? 0),
        refundedCents: Number(row?.refundedCents ?? 0),
      };
    });
    return {
      paidCents: total((day) => day.paidCents),
      tipCents: total((day) => day.tipCents),
      refundedCents: total((day) => day.refundedCents),
      unpaidCents: total((day) => day.unpaidCents),
      payments,
    };
  }

  /**
   * The payment figures of each day's orders (every order placed that day, whatever its status),
   * as each order's view works them out (a refund is not owed again); days without orders left
   * out. The range's figures are their sums.
   */
  async moneyByDay(range: ReportRange): Promise<Map<string, DayMoney>> {
    const rows = await selectRows<{
      date: string;
      paidCents: string;
      tipCents: string;
      refundedCents: string;
      unpaidCents: string;
    }>(
      this.dataSource.manager,
      `WITH per_order AS (
         SELECT o.business_day, o.status, o.total_cents,
                COALESCE(sum(p.amount_cents) FILTER (WHERE p.kind = 'payment'), 0) AS payments,
                COALESCE(sum(p.amount_cents) FILTER (WHERE p.kind = 'payment'), 0)
                  - COALESCE(sum(p.amount_cents) FILTER (WHERE p.kind = 'refund'), 0) AS paid,
                COALESCE(sum(p.tip_cents), 0) AS tip,
                COALESCE(sum(p.amount_cents) FILTER (WHERE p.kind = 'refund'), 0) AS refunded
           FROM orders o LEFT JOIN order_payments p ON p.order_id = o.id
          WHERE o.business_day BETWEEN $1::date AND $2::date
          GROUP BY o.id
       )
       SELECT to_char(business_day, 'YYYY-MM-DD') AS date,
              sum(paid) AS "paidCents", sum(tip) AS "tipCents", sum(refunded) AS "refundedCents",
              sum(CASE WHEN status = 'cancelled' THEN 0 ELSE GREATEST(total_cents - payments, 0) END)
                AS "unpaidCents"
         FROM per_order
        GROUP BY business_day`,
      [range.from, range.to],
    );
    return new Map(
      rows.map((row) => [
        row.date,
        {
          paidCents: Number(row.paidCents),
          tipCents: Number(row.tipCents),
          refundedCents: Number(row.refundedCents),
          unpaidCents: Number(row.unpaidCents),
        },
      ]),
    );
  }

  /** The business days `query` asks for (see {@link reportRange}); 400 when it is not a range. */
  range(query: ReportRangeQueryDto): ReportRange {
    return reportRange(query, this.config.venueTimezone);
  }

  /** Every day of `range`, oldest first: its completed orders and their revenue (0 when none). */
  async days(range: ReportRange): Promise<SalesDay[]> {
    const days = await selectRows<{ date: string; orders: string; revenueCents: string }>(
      this.dataSource.manager,
      // The orders are summed per day within the range first: joined to the series directly,
      // the planner (which guesses 1,000 days for any series) walked every completed order ever
      // placed, 1.9 s for one day among a year's million orders.
      `SELECT to_char(d.day, 'YYYY-MM-DD') AS date,
              COALESCE(s.orders, 0) AS orders,
              COALESCE(s.revenue, 0) AS "revenueCents"
         FROM generate_series($1::date, $2::date, interval '1 day') AS d(day)
         LEFT JOIN (
           SELECT business_day, count(*) AS orders, sum(total_cents) AS revenue
             FROM orders
            WHERE status = 'completed' AND business_day BETWEEN $1::date AND $2::date
            GROUP BY business_day
         ) AS s ON s.business_day = d.day::date
        ORDER BY d.day`,
      [range.from, range.to],
    );
    return days.map((day) => ({
      date: day.date,
      orders: Number(day.orders),
      revenueCents: Number(day.revenueCents),
    }));
  }
}
