import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import type { ReportRangeQueryDto } from './dto/report-range.dto.js';
import type { VatShareView } from './order-view.js';
import type { SalesByMethod, SalesDay, SalesReport, TopItem } from './dto/sales-report.dto.js';
import { PAYMENT_METHODS } from './payments/payment-figures.js';
import { type DaySales, ReportDays } from './report-days.js';
import { type ReportRange, reportRange } from './report-range.js';

const TOP_ITEMS = 10;

/** A day's payment figures: every order placed that day, whatever its status. */
interface DayMoney {
  readonly paidCents: number;
  readonly tipCents: number;
  readonly refundedCents: number;
  readonly unpaidCents: number;
}

/** One business day of the sales report and of `sales.csv`. */
export interface SalesDayFigures {
  readonly day: SalesDay;
  /** VAT of the day's completed orders per rate, lowest first (each line rounded on its own). */
  readonly vat: VatShareView[];
  readonly money: DayMoney;
}

/**
 * Sales of completed orders per business day (the day the order was placed, in VENUE_TIMEZONE),
 * best sellers and the total, merged from the per-day figures of {@link ReportDays} (stored for
 * old days, computed by the database for the others).
 */
@Injectable()
export class SalesReportService {
  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly reportDays: ReportDays,
  ) {}

  async report(query: ReportRangeQueryDto): Promise<SalesReport> {
    const days = await this.reportDays.sales(this.range(query));
    const sum = (pick: (day: DaySales) => number): number =>
      days.reduce((total, entry) => total + pick(entry.day), 0);
    return {
      days: days.map(({ date, day }) => salesDay(date, day)),
      topItems: topItems(days.map((entry) => entry.day)),
      totalRevenueCents: sum((day) => day.revenueCents),
      vat: vatShares(days.flatMap((entry) => entry.day.vat)),
      paidCents: sum((day) => day.money[0]),
      tipCents: sum((day) => day.money[1]),
      refundedCents: sum((day) => day.money[2]),
      unpaidCents: sum((day) => day.money[3]),
      payments: byMethod(days.map((entry) => entry.day)),
    };
  }

  /**
   * Every day of `range`, oldest first: its completed orders, their revenue and VAT per rate,
   * and the payment figures of all its orders; the same figures as {@link report}.
   */
  async figuresByDay(range: ReportRange): Promise<SalesDayFigures[]> {
    const days = await this.reportDays.sales(range);
    return days.map(({ date, day }) => ({
      day: salesDay(date, day),
      vat: vatShares(day.vat),
      money: {
        paidCents: day.money[0],
        tipCents: day.money[1],
        refundedCents: day.money[2],
        unpaidCents: day.money[3],
      },
    }));
  }

  /** The business days `query` asks for (see {@link reportRange}); 400 when it is not a range. */
  range(query: ReportRangeQueryDto): ReportRange {
    return reportRange(query, this.config.venueTimezone);
  }
}

function salesDay(date: string, day: DaySales): SalesDay {
  return { date, orders: day.orders, revenueCents: day.revenueCents };
}

/**
 * VAT per rate (lowest first) from days' `[rate, net, vat]`: the sum of each day's, so the
 * report, the CSV and the orders' own breakdowns agree to the cent.
 */
function vatShares(shares: readonly (readonly [number, number, number])[]): VatShareView[] {
  const byRate = new Map<number, { netCents: number; vatCents: number }>();
  for (const [rate, net, vat] of shares) {
    const sum = byRate.get(rate) ?? { netCents: 0, vatCents: 0 };
    sum.netCents += net;
    sum.vatCents += vat;
    byRate.set(rate, sum);
  }
  return [...byRate.entries()]
    .sort(([x], [y]) => x - y)
    .map(([rateBasisPoints, sum]) => ({ rateBasisPoints, ...sum }));
}

/** Payments and refunds per method (each method listed, 0 when none). */
function byMethod(days: readonly DaySales[]): SalesByMethod[] {
  const sums = new Map<string, [number, number, number]>();
  for (const day of days) {
    for (const [method, amount, tip, refunded] of day.methods) {
      const sum = sums.get(method) ?? [0, 0, 0];
      sum[0] += amount;
      sum[1] += tip;
      sum[2] += refunded;
      sums.set(method, sum);
    }
  }
  return PAYMENT_METHODS.map((method) => {
    const [amountCents, tipCents, refundedCents] = sums.get(method) ?? [0, 0, 0];
    return { method, amountCents, tipCents, refundedCents };
  });
}

/**
 * Best sellers by quantity (then revenue, then id), at most {@link TOP_ITEMS}, each named as its
 * latest line in the range was.
 */
function topItems(days: readonly DaySales[]): TopItem[] {
  const items = new Map<
    string,
    { quantity: number; revenueCents: number; name: string; at: number }
  >();
  for (const day of days) {
    for (const [menuItemId, quantity, revenueCents, name, at] of day.items) {
      const item = items.get(menuItemId);
      if (item === undefined) {
        items.set(menuItemId, { quantity, revenueCents, name, at });
        continue;
      }
      item.quantity += quantity;
      item.revenueCents += revenueCents;
      if (at > item.at || (at === item.at && name > item.name)) {
        item.at = at;
        item.name = name;
      }
    }
  }
  return [...items.entries()]
    .sort(
      ([idA, a], [idB, b]) =>
        b.quantity - a.quantity ||
        b.revenueCents - a.revenueCents ||
        (idA < idB ? -1 : idA > idB ? 1 : 0),
    )
    .slice(0, TOP_ITEMS)
    .map(([menuItemId, item]) => ({
      menuItemId,
      name: item.name,
      quantity: item.quantity,
      revenueCents: item.revenueCents,
    }));
}
