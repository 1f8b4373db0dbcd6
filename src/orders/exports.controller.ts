import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles, TokenScope } from '../auth/auth.decorators.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { BEARER_AUTH } from '../common/openapi/openapi.js';
import { sendCsv } from './csv-download.js';
import { OrderFilterQueryDto } from './dto/order-query.dto.js';
import { ReportRangeQueryDto } from './dto/report-range.dto.js';
import { OrdersExportService } from './orders-export.service.js';

const CSV_FORMAT =
  'RFC 4180 CSV in UTF-8 with a byte order mark: a header row, CRLF line ends, fields with commas, ' +
  'quotes or line breaks in double quotes. A text field starting with =, +, -, @, a tab or CR ' +
  "gets a leading ' so that a spreadsheet shows it as text (no formula runs). Money comes twice: " +
  'as a decimal with two places (12.50) and exactly in cents. Streamed: errors come as JSON ' +
  'before the first byte; a failure after it breaks the transfer off (no final chunk), so a cut ' +
  'file never looks complete.';

/** The VAT columns of both files. */
const VAT_COLUMNS =
  'then per VAT rate, lowest first, named with the rate in basis points (2000 = 20 %): ' +
  '`net2000,net2000Cents,vat2000,vat2000Cents`, then the VAT of all rates `vat,vatCents`';

/** The headers of a CSV download, for the OpenAPI document. */
const CSV_HEADERS = {
  'Content-Disposition': {
    description: 'attachment; filename="…"',
    schema: { type: 'string' },
  },
};

@ApiTags('Exports (admin)')
@ApiBearerAuth(BEARER_AUTH)
@Roles('admin')
@ApiErrors(ErrorCode.VALIDATION_FAILED, ErrorCode.TOKEN_INVALID, ErrorCode.FORBIDDEN)
@TokenScope('reports:read')
@Controller('admin')
export class ExportsController {
  constructor(private readonly exports: OrdersExportService) {}

  @Get('reports/sales.csv')
  @ApiOperation({
    summary: 'The sales report per business day, as a CSV file',
    description:
      'One line per business day of the range, oldest first, with the figures of ' +
      'GET /api/admin/reports/sales (completed orders): `date,orders,revenue,revenueCents`, ' +
      VAT_COLUMNS +
      ' (of each day’s completed orders; the rates sold in the range), then ' +
      '`paid,paidCents,tip,tipCents,refunded,refundedCents,unpaid,unpaidCents`: the payment ' +
      'figures of every order placed that day, as the report sums them. ' +
      'Same range rules as the report. Named `sales-<from>-to-<to>.csv`. ' +
      CSV_FORMAT,
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'The CSV file',
    content: { 'text/csv': { schema: { type: 'string' } } },
    headers: CSV_HEADERS,
  })
  async salesCsv(@Query() query: ReportRangeQueryDto, @Res() reply: FastifyReply): Promise<void> {
    sendCsv(reply, await this.exports.salesCsv(query));
  }

  @Get('orders.csv')
  @ApiOperation({
    summary: 'Orders as a CSV file, with the filters of the order list',
    description:
      'Every order the filters find (those of GET /api/orders, no paging), oldest first: ' +
      '`number,id,createdAt,businessDay,status,customerName,customerEmail,tableNumber,items,' +
      'total,totalCents`, ' +
      VAT_COLUMNS +
      ' (the rates of the lines of the orders found), `paymentStatus,paid,paidCents,tip,' +
      'tipCents,refunded,refundedCents,cancelReason,note` (the figures of the order). `items` reads ' +
      '`2× Pilsner [Size: Half] (no ice); 1× Nachos`: each line with its options and note; ' +
      '`createdAt` is ISO-8601 UTC, `businessDay` the venue date. Named ' +
      '`orders-<today>.csv`. ' +
      CSV_FORMAT,
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'The CSV file',
    content: { 'text/csv': { schema: { type: 'string' } } },
    headers: CSV_HEADERS,
  })
  async ordersCsv(@Query() query: OrderFilterQueryDto, @Res() reply: FastifyReply): Promise<void> {
    sendCsv(reply, await this.exports.ordersCsv(query));
  }
}
