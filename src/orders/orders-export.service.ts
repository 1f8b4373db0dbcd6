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
import type { VatShare } from './money.js';
import { type OrderLineView, toOrderView } from './order-view.js';
import { type OrderExportRow, type OrderFilter, OrdersRepository } from './orders.repository.js';
import { SalesReportService } from './sales-report.service.js';

/** Orders read per statement: big enough to keep round trips rare, small enough to stay flat. */
const EXPORT_BATCH = 1000;

/** A CSV line: its columns by name; numbers are cents or counts, text as it is. */
type CsvRecord = Record<string, string | number | null>;

const SALES_COLUMNS = ['date', 'orders', 'revenue', 'revenueCents'] as const;

/** The order columns before the money ones. */
const ORDER_LEAD_COLUMNS = [
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
] as const;

const ORDER_TAIL_COLUMNS = [
  'paymentStatus',
  'paid',
  'paidCents',
  'tip',
  'tipCents',
  'refunded',
  'refundedCents',
  'cancelReason',
  'note',
] as const;

/** The payment columns of a sales day, after the VAT. */
const SALES_TAIL_COLUMNS = [
  'paid',
  'paidCents',
  'tip',
  'tipCents',
  'refunded',
  'refundedCents',
  'unpaid',
  'unpaidCents',
] as const;

/**
 * The columns of VAT per rate, for the rates a file holds (lowest first): the net and the VAT of
 * each, as decimals and in cents, named with the rate in basis points as the API gives it
 * (`net2000`, `net2000Cents`, `vat2000`, `vat2000Cents` for 20 %), then the VAT of all rates.
 */
function vatColumns(rates: readonly number[]): string[] {
  return [
    ...rates.flatMap((rate) => [
      `net${String(rate)}`,
      `net${String(rate)}Cents`,
      `vat${String(rate)}`,
      `vat${String(rate)}Cents`,
    ]),
    'vat',
    'vatCents',
  ];
}

/** The VAT columns' values for `shares` (a rate of the file without a share is 0). */
function vatFields(rates: readonly number[], shares: readonly VatShare[]): CsvRecord {
  const record: CsvRecord = {};
  let vatCents = 0;
  for (const rate of rates) {
    const share = shares.find((entry) => entry.rateBasisPoints === rate);
    const net = share?.netCents ?? 0;
    const vat = share?.vatCents ?? 0;
    record[`net${String(rate)}`] = decimal(net);
    record[`net${String(rate)}Cents`] = net;
    record[`vat${String(rate)}`] = decimal(vat);
    record[`vat${String(rate)}Cents`] = vat;
    vatCents += vat;
  }
  record.vat = decimal(vatCents);
  record.vatCents = vatCents;
  return record;
}

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

  /**
   * The sales report's days as CSV: the same figures as `GET /api/admin/reports/sales`, and the
   * VAT per rate of each day's completed orders (the rates sold in the range).
   */
  async salesCsv(query: ReportRangeQueryDto): Promise<CsvDownload<CsvRecord>> {
    const range = this.sales.range(query);
    const days = await this.sales.figuresByDay(range);
    const rates = [
      ...new Set(days.flatMap((entry) => entry.vat.map((share) => share.rateBasisPoints))),
    ].sort((a, b) => a - b);
    return {
      filename: `sales-${range.from}-to-${range.to}.csv`,
      columns: [...SALES_COLUMNS, ...vatColumns(rates), ...SALES_TAIL_COLUMNS],
      records: days.map(({ day, vat, money }) => ({
        date: day.date,
        orders: day.orders,
        revenue: decimal(day.revenueCents),
        revenueCents: day.revenueCents,
        ...vatFields(rates, vat),
        paid: decimal(money.paidCents),
        paidCents: money.paidCents,
        tip: decimal(money.tipCents),
        tipCents: money.tipCents,
        refunded: decimal(money.refundedCents),
        refundedCents: money.refundedCents,
        unpaid: decimal(money.unpaidCents),
        unpaidCents: money.unpaidCents,
      })),
    };
  }

  /** Every order the filters of the order list find, oldest first, named for today. */
  async ordersCsv(query: OrderFilterQueryDto): Promise<CsvDownload<CsvRecord>> {
    const filter = orderFilter(query);
    const manager = this.dataSource.manager;
    const rates = await this.orders.exportVatRates(manager, filter);
    const first = await this.orders.exportBatch(manager, filter, undefined, EXPORT_BATCH);
    return {
      filename: `orders-${businessDay(new Date(), this.config.venueTimezone)}.csv`,
      columns: [...ORDER_LEAD_COLUMNS, ...vatColumns(rates), ...ORDER_TAIL_COLUMNS],
      records: this.orderRecords(filter, rates, first),
    };
  }

  /**
   * The records of `first` and of the batches after it, read one batch at a time when the one
   * before has been taken. A client that goes away ends this at its next `yield`: at most the
   * batch being read then is read in vain.
   */
  private async *orderRecords(
    filter: OrderFilter,
    rates: readonly number[],
    first: OrderExportRow[],
  ): AsyncGenerator<CsvRecord> {
    let batch = first;
    for (;;) {
      for (const row of batch) yield orderRecord(row, rates);
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

/** An order's line of `orders.csv`: every figure from its view, as the API shows the order. */
function orderRecord(row: OrderExportRow, rates: readonly number[]): CsvRecord {
  const order = toOrderView(row);
  return {
    number: order.number,
    id: order.id,
    createdAt: order.createdAt,
    businessDay: row.businessDay,
    status: order.status,
    customerName: order.customer.name,
    customerEmail: row.customerEmail,
    tableNumber: order.tableNumber,
    items: order.items.map(lineText).join('; '),
    total: decimal(order.totalCents),
    totalCents: order.totalCents,
    ...vatFields(rates, order.vat),
    paymentStatus: order.paymentStatus,
    paid: decimal(order.paidCents),
    paidCents: order.paidCents,
    tip: decimal(order.tipCents),
    tipCents: order.tipCents,
    refunded: decimal(order.refundedCents),
    refundedCents: order.refundedCents,
    cancelReason: order.cancelReason,
    note: order.note,
  };
}

/** `2× IPA [Size: Half, Extras: Cheese] (no ice)`: quantity, name, options, note. */
function lineText(line: OrderLineView): string {
  const options =
    line.options.length === 0
      ? ''
      : ` [${line.options.map((option) => `${option.groupName}: ${option.name}`).join(', ')}]`;
  const note = line.note === null ? '' : ` (${line.note})`;
  return `${String(line.quantity)}× ${line.name}${options}${note}`;
}

/** Cents as a decimal with two places and a point: 1250 → `12.50`, 5 → `0.05`. */
function decimal(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const magnitude = Math.abs(cents);
  return `${sign}${Math.trunc(magnitude / 100)}.${String(magnitude % 100).padStart(2, '0')}`;
}
