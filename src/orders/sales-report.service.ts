import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import type { FieldError } from '../common/validation.js';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { selectRows } from '../database/sql-rows.js';
import { addDays, businessDay, daysBetween, isCalendarDate } from './business-day.js';
import type { SalesReport, SalesReportQueryDto } from './dto/sales-report.dto.js';

/** The longest range one report covers. */
const MAX_REPORT_DAYS = 366;
const TOP_ITEMS = 10;

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

  async report(query: SalesReportQueryDto): Promise<SalesReport> {
    const { from, to } = this.range(query);
    const manager = this.dataSource.manager;
    const days = await selectRows<{ date: string; orders: string; revenueCents: string }>(
      manager,
      `SELECT to_char(d.day, 'YYYY-MM-DD') AS date,
              count(o.id) AS orders,
              COALESCE(sum(o.total_cents), 0) AS "revenueCents"
         FROM generate_series($1::date, $2::date, interval '1 day') AS d(day)
         LEFT JOIN orders o ON o.business_day = d.day::date AND o.status = 'completed'
        GROUP BY d.day
        ORDER BY d.day`,
      [from, to],
    );
    const topItems = await selectRows<{
      menuItemId: string;
      name: string;
      quantity: string;
      revenueCents: string;
    }>(
      manager,
      `SELECT i.menu_item_id AS "menuItemId",
              (array_agg(i.name ORDER BY o.created_at DESC))[1] AS name,
              sum(i.quantity) AS quantity,
              sum(i.quantity * i.unit_price_cents) AS "revenueCents"
         FROM orders o JOIN order_items i ON i.order_id = o.id
        WHERE o.status = 'completed' AND o.business_day BETWEEN $1::date AND $2::date
        GROUP BY i.menu_item_id
        ORDER BY quantity DESC, "revenueCents" DESC, i.menu_item_id
        LIMIT ${TOP_ITEMS}`,
      [from, to],
    );
    const dayViews = days.map((day) => ({
      date: day.date,
      orders: Number(day.orders),
      revenueCents: Number(day.revenueCents),
    }));
    return {
      days: dayViews,
      topItems: topItems.map((item) => ({
        menuItemId: item.menuItemId,
        name: item.name,
        quantity: Number(item.quantity),
        revenueCents: Number(item.revenueCents),
      })),
      totalRevenueCents: dayViews.reduce((sum, day) => sum + day.revenueCents, 0),
    };
  }

  private range(query: SalesReportQueryDto): { from: string; to: string } {
    const to = query.to ?? businessDay(new Date(), this.config.venueTimezone);
    const from = query.from ?? addDays(to, -6);
    const problems: FieldError[] = [];
    if (!isCalendarDate(from))
      problems.push({ field: 'from', errors: ['from is not a calendar date'] });
    if (!isCalendarDate(to)) problems.push({ field: 'to', errors: ['to is not a calendar date'] });
    if (problems.length === 0) {
      const span = daysBetween(from, to);
      if (span < 0) problems.push({ field: 'to', errors: ['to must not be before from'] });
      else if (span >= MAX_REPORT_DAYS) {
        problems.push({ field: 'to', errors: [`a report covers at most ${MAX_REPORT_DAYS} days`] });
      }
    }
    if (problems.length > 0) {
      throw new AppError(
        ErrorCode.VALIDATION_FAILED,
        problems.flatMap((problem) => problem.errors).join('; '),
        problems,
      );
    }
    return { from, to };
  }
}
