import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { selectRows } from '../database/sql-rows.js';
import type { ReportRangeQueryDto } from './dto/report-range.dto.js';
import type {
  DurationPercentiles,
  HourOfDayCount,
  ServiceReport,
} from './dto/service-report.dto.js';
import { reportRange } from './report-range.js';

/**
 * How fast the bar serves: orders per hour of the day, and how long orders waited to be accepted
 * and to be ready, over the orders placed on a range of business days. The waits come from the
 * orders' status history (`order_history`): placement is the order's `created_at` (its `pending`
 * entry has the same time), and a wait ends at the first entry of the status, so a recall and a
 * second `ready` do not lengthen it. Everything is aggregated by the database, not in memory.
 */
@Injectable()
export class ServiceReportService {
  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async report(query: ReportRangeQueryDto): Promise<ServiceReport> {
    const range = reportRange(query, this.config.venueTimezone);
    const [row] = await selectRows<{
      ordersPerHour: HourOfDayCount[];
      accept: (number | null)[] | null;
      ready: (number | null)[] | null;
    }>(
      this.dataSource.manager,
      `WITH placed AS (
         SELECT o.id, o.created_at FROM orders o
          WHERE o.business_day BETWEEN $1::date AND $2::date
       ), per_hour AS (
         SELECT extract(hour FROM p.created_at AT TIME ZONE $3::text)::int AS hour,
                count(*) AS orders
           FROM placed p GROUP BY 1
       ), waits AS (
         SELECT extract(epoch FROM min(h.at) FILTER (WHERE h.status = 'accepted') - p.created_at)
                  AS accept,
                extract(epoch FROM min(h.at) FILTER (WHERE h.status = 'ready') - p.created_at)
                  AS ready
           FROM placed p
           JOIN order_history h ON h.order_id = p.id AND h.status IN ('accepted', 'ready')
          GROUP BY p.id, p.created_at
       )
       SELECT (SELECT json_agg(json_build_object('hour', g.hour, 'orders', COALESCE(c.orders, 0))
                               ORDER BY g.hour)
                 FROM generate_series(0, 23) AS g(hour)
                 LEFT JOIN per_hour c ON c.hour = g.hour) AS "ordersPerHour",
              (SELECT percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY w.accept)
                 FROM waits w) AS accept,
              (SELECT percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY w.ready)
                 FROM waits w) AS ready`,
      [range.from, range.to, this.config.venueTimezone],
    );
    if (!row) throw new Error('The service report statement returned no row');
    return {
      // JSON numbers already (count(*) is exact far beyond any bar's orders).
      ordersPerHour: row.ordersPerHour,
      acceptSeconds: percentiles(row.accept),
      readySeconds: percentiles(row.ready),
    };
  }
}

/** `[p50, p90]` from `percentile_cont`, null when there was nothing to take them of. */
function percentiles(values: (number | null)[] | null): DurationPercentiles {
  return { p50: seconds(values?.[0]), p90: seconds(values?.[1]) };
}

/** Seconds to the millisecond: timestamps carry microseconds the figure does not need. */
function seconds(value: number | null | undefined): number | null {
  return value === null || value === undefined ? null : Math.round(value * 1000) / 1000;
}
