import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import type { ReportRangeQueryDto } from './dto/report-range.dto.js';
import type { DurationPercentiles, ServiceReport } from './dto/service-report.dto.js';
import { ReportDays } from './report-days.js';
import { reportRange } from './report-range.js';

/**
 * How fast the bar serves: orders per hour of the day, and how long orders waited to be accepted
 * and to be ready, over the orders placed on a range of business days. The waits come from the
 * orders' status history (`order_history`): placement is the order's `created_at` (its `pending`
 * entry has the same time), and a wait ends at the first entry of the status, so a recall and a
 * second `ready` do not lengthen it. The database sums each day (see {@link ReportDays}: to the
 * second up to 10 minutes, to 10 seconds up to 3 hours, to the minute beyond); the days are
 * merged here and the percentiles taken as `percentile_cont` takes them.
 */
@Injectable()
export class ServiceReportService {
  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly reportDays: ReportDays,
  ) {}

  async report(query: ReportRangeQueryDto): Promise<ServiceReport> {
    const range = reportRange(query, this.config.venueTimezone);
    const days = await this.reportDays.service(range);
    const hours = Array.from({ length: 24 }, () => 0);
    const accept = new Map<number, number>();
    const ready = new Map<number, number>();
    for (const { day } of days) {
      day.hours.forEach((orders, hour) => {
        hours[hour] = (hours[hour] ?? 0) + orders;
      });
      add(accept, day.accept);
      add(ready, day.ready);
    }
    return {
      ordersPerHour: hours.map((orders, hour) => ({ hour, orders })),
      acceptSeconds: percentiles(accept),
      readySeconds: percentiles(ready),
    };
  }
}

function add(
  histogram: Map<number, number>,
  buckets: readonly (readonly [number, number])[],
): void {
  for (const [seconds, orders] of buckets) {
    histogram.set(seconds, (histogram.get(seconds) ?? 0) + orders);
  }
}

/**
 * p50 and p90 of a histogram as `percentile_cont` takes them: at position p·(n − 1) of the
 * sorted values, interpolated between the values on either side; null when it is empty.
 */
function percentiles(histogram: Map<number, number>): DurationPercentiles {
  const buckets = [...histogram.entries()].sort(([a], [b]) => a - b);
  const count = buckets.reduce((sum, [, orders]) => sum + orders, 0);
  /** The value at 0-based position `k` of the sorted values. */
  const at = (k: number): number => {
    let seen = 0;
    for (const [seconds, orders] of buckets) {
      seen += orders;
      if (k < seen) return seconds;
    }
    throw new Error(`position ${String(k)} is beyond ${String(count)} values`);
  };
  const percentile = (p: number): number | null => {
    if (count === 0) return null;
    const position = p * (count - 1);
    const lower = Math.floor(position);
    const upper = Math.ceil(position);
    const first = at(lower);
    const value = lower === upper ? first : first + (at(upper) - first) * (position - lower);
    return Math.round(value * 1000) / 1000;
  };
  return { p50: percentile(0.5), p90: percentile(0.9) };
}
