import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { businessDay } from './business-day.js';
import type { CsvDownload } from './csv-download.js';
import type { OrderFilterQueryDto } from './dto/order-query.dto.js';
import type { ReportRangeQueryDto } from './dto/report-range.dto.js';
import { orderFilter } from './order-queries.service.js';
import type { OrderStatus } from './order-state-machine.js';
import { type OrderExportRow, type OrderFilter, OrdersRepository } from './orders.repository.js';
import { SalesReportService } from './sales-report.service.js';

/** Orders read per statement: big enough to keep round trips rare, small enough to stay flat. */
const EXPORT_BATCH = 1000;

/** One line of `sales.csv`: a business day. */
interface SalesCsvRecord {
  date: string;
  orders: number;
  /** Decimal, two places (`12.50`), for spreadsheets; `revenueCents` is the exact figure. */
  revenue: string;
  revenueCents: number;
}

const SALES_COLUMNS = ['date', 'orders', 'revenue', 'revenueCents'] as const;

/** One line of `orders.csv`: an order. */
interface OrderCsvRecord {
  number: number;
  id: string;
  createdAt: string;
  businessDay: string;
  status: OrderStatus;
  customerName: string;
  customerEmail: string | null;
  tableNumber: number | null;
  items: string;
  total: string;
  totalCents: number;
  cancelReason: string | null;
  note: string | null;
}

const ORDER_COLUMNS = [
  'number',
  'id',
  'createdAt',
  'businessDay',
  'status',
  'customerName',
  'customerEmail',
  'tableNumber',
  'items',
  'total',
  'totalCents',
  'cancelReason',
  'note',
] as const;

/**
 * The admin's CSV exports. Everything a request can be refused for is checked (and the first
 * batch read) before the download is handed back, so a refusal or a database that is down is
 * still a JSON error; after that, rows are read in batches as the client takes them.
 */
@Injectable()
export class OrdersExportService {
  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly orders: OrdersRepository,
    private readonly sales: SalesReportService,
  ) {}

  /** The sales report's days as CSV: the same figures as `GET /api/admin/reports/sales`. */
  async salesCsv(query: ReportRangeQueryDto): Promise<CsvDownload<SalesCsvRecord>> {
    const range = this.sales.range(query);
    const days = await this.sales.days(range);
    return {
      filename: `sales-${range.from}-to-${range.to}.csv`,
      columns: SALES_COLUMNS,
      records: days.map((day) => ({
        date: day.date,
        orders: day.orders,
        revenue: decimal(day.revenueCents),
        revenueCents: day.revenueCents,
      })),
    };
  }

  /** Every order the filters of the order list find, oldest first, named for today. */
  async ordersCsv(query: OrderFilterQueryDto): Promise<CsvDownload<OrderCsvRecord>> {
    const filter = orderFilter(query);
    const first = await this.orders.exportBatch(
      this.dataSource.manager,
      filter,
      undefined,
      EXPORT_BATCH,
    );
    return {
      filename: `orders-${businessDay(new Date(), this.config.venueTimezone)}.csv`,
      columns: ORDER_COLUMNS,
      records: this.orderRecords(filter, first),
    };
  }

  /**
   * The records of `first` and of the batches after it, read one batch at a time when the one
   * before has been taken. A client that goes away ends this at its next `yield`: at most the
   * batch being read then is read in vain.
   */
  private async *orderRecords(
    filter: OrderFilter,
    first: OrderExportRow[],
  ): AsyncGenerator<OrderCsvRecord> {
    let batch = first;
    for (;;) {
      for (const row of batch) yield orderRecord(row);
      const last = batch.at(-1);
      if (batch.length < EXPORT_BATCH || last === undefined) return;
      batch = await this.orders.exportBatch(
        this.dataSource.manager,
        filter,
        { createdAt: last.cursor, id: last.id },
        EXPORT_BATCH,
      );
    }
  }
}

function orderRecord(row: OrderExportRow): OrderCsvRecord {
  return {
    number: row.number,
    id: row.id,
    createdAt: new Date(row.createdAt).toISOString(),
    businessDay: row.businessDay,
    status: row.status,
    customerName: row.customerName,
    customerEmail: row.customerEmail,
    tableNumber: row.tableNumber,
    items: row.items ?? '',
    total: decimal(row.totalCents),
    totalCents: row.totalCents,
    cancelReason: row.cancelReason,
    note: row.note,
  };
}

/** Cents as a decimal with two places and a point: 1250 → `12.50`, 5 → `0.05`. */
function decimal(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const magnitude = Math.abs(cents);
  return `${sign}${Math.trunc(magnitude / 100)}.${String(magnitude % 100).padStart(2, '0')}`;
}
