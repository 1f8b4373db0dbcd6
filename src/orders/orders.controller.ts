import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthContext } from '../auth/auth-context.js';
import { CurrentAuth, Roles, SessionOnly, TokenScope } from '../auth/auth.decorators.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { IdPipe } from '../common/ids.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { BEARER_AUTH } from '../common/openapi/openapi.js';
import type { CursorPage } from '../common/pagination.js';
import { ORDERING_ROLES } from '../users/role.js';
import { CancelOrderDto, ChangeStatusDto } from './dto/change-status.dto.js';
import { CreateOrderDto } from './dto/create-order.dto.js';
import { OrderQueryDto } from './dto/order-query.dto.js';
import { IDEMPOTENCY_HEADER, parseIdempotencyKey } from './idempotency.js';
import { OrderCreationService } from './order-creation.service.js';
import { OrderQueriesService } from './order-queries.service.js';
import { OrderStatusService } from './order-status.service.js';
import { OrderPage, OrderView } from './order-view.js';
import { RECEIPT_CONTENT_SECURITY_POLICY } from './receipt.js';
import { ReceiptService } from './receipt.service.js';

/** A malformed id names no order: 404, like someone else's. */
const orderId = new IdPipe('No such order.');

@ApiTags('Orders')
@ApiBearerAuth(BEARER_AUTH)
@ApiErrors(ErrorCode.TOKEN_INVALID, ErrorCode.TOKEN_EXPIRED, ErrorCode.SESSION_REVOKED)
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly creation: OrderCreationService,
    private readonly status: OrderStatusService,
    private readonly queries: OrderQueriesService,
    private readonly receipts: ReceiptService,
  ) {}

  @Post()
  @SessionOnly()
  @Roles(...ORDERING_ROLES)
  @ApiOperation({
    summary: 'Place an order',
    description:
      'Prices, names and totals come from the menu. Retrying with the same Idempotency-Key and body returns the same order (header Idempotent-Replayed: true); a request whose twin is still running waits for it. ' +
      "A guest's order is always for the guest's table: `tableNumber` may be left out, and another table is `400 VALIDATION_FAILED`. " +
      'A guest with `GUEST_MAX_OPEN_ORDERS` (default 3) unfinished orders (pending to ready) gets `409 GUEST_LIMIT`, also when the orders arrive at once.',
  })
  @ApiHeader({
    name: IDEMPOTENCY_HEADER,
    required: true,
    description: '1-255 visible ASCII characters, e.g. a UUID; remembered per user for 24 hours',
  })
  @ApiCreatedResponse({ type: OrderView })
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    ErrorCode.FORBIDDEN,
    ErrorCode.ITEM_UNAVAILABLE,
    ErrorCode.OUT_OF_STOCK,
    ErrorCode.IDEMPOTENCY_MISMATCH,
    ErrorCode.GUEST_LIMIT,
  )
  async create(
    @CurrentAuth() auth: AuthContext,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: CreateOrderDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderView> {
    const result = await this.creation.create(auth, parseIdempotencyKey(key), body);
    if (result.replayed) void reply.header('idempotent-replayed', 'true');
    return result.order;
  }

  @Get()
  @TokenScope('orders:read')
  @ApiOperation({
    summary: 'Orders, newest first: a customer sees their own, staff see all',
    description:
      'A page at a time by `page`, or after `cursor` (the `nextCursor` of the previous answer: ' +
      'the same cost at any depth). A malformed cursor, one of the other sort, or `cursor` with ' +
      '`page` above 1 is `400 VALIDATION_FAILED` naming `cursor`.',
  })
  @ApiOkResponse({ type: OrderPage })
  @ApiErrors(ErrorCode.VALIDATION_FAILED)
  list(
    @CurrentAuth() auth: AuthContext,
    @Query() query: OrderQueryDto,
  ): Promise<CursorPage<OrderView>> {
    return this.queries.list(auth, query);
  }

  @Get(':id')
  @TokenScope('orders:read')
  @ApiOperation({ summary: "One order (another customer's is 404)" })
  @ApiOkResponse({ type: OrderView })
  @ApiErrors(ErrorCode.NOT_FOUND)
  get(@CurrentAuth() auth: AuthContext, @Param('id', orderId) id: string): Promise<OrderView> {
    return this.queries.get(auth, id);
  }

  @Get(':id/receipt')
  @TokenScope('orders:read')
  @ApiOperation({
    summary: "An order's printable receipt, as an HTML page (another customer's is 404)",
    description:
      'A self-contained HTML document for an 80 mm receipt printer (`@page { size: 80mm auto }`): ' +
      'the venue (VENUE_NAME, VENUE_ADDRESS, VENUE_VAT_ID), the order number, its time in ' +
      'VENUE_TIMEZONE, the table, the lines with their options, the total, the VAT per rate, ' +
      'the payments, tip and refunds, and what is left to pay. Every value is HTML-escaped; ' +
      'its Content-Security-Policy lets only its own inline stylesheet apply (no script, nothing ' +
      'loaded). Errors are JSON as everywhere.',
  })
  @ApiProduces('text/html')
  @ApiOkResponse({
    description: 'The receipt page',
    content: { 'text/html': { schema: { type: 'string' } } },
  })
  @ApiErrors(ErrorCode.NOT_FOUND)
  async receipt(
    @CurrentAuth() auth: AuthContext,
    @Param('id', orderId) id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const html = await this.receipts.receipt(auth, id);
    void reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', RECEIPT_CONTENT_SECURITY_POLICY)
      .send(html);
  }

  @Patch(':id/status')
  @TokenScope('orders:write')
  @Roles('bartender', 'admin')
  @ApiOperation({
    summary: 'Move an order along, recall it one step, or cancel it (with a reason)',
    description:
      'Send the version you saw; if the order changed since, 409 VERSION_CONFLICT carries the current order in details.current.',
  })
  @ApiOkResponse({ type: OrderView })
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    ErrorCode.FORBIDDEN,
    ErrorCode.NOT_FOUND,
    ErrorCode.VERSION_CONFLICT,
    ErrorCode.INVALID_TRANSITION,
  )
  changeStatus(
    @CurrentAuth() auth: AuthContext,
    @Param('id', orderId) id: string,
    @Body() body: ChangeStatusDto,
  ): Promise<OrderView> {
    return this.status.changeStatus(auth, id, body);
  }

  @Post(':id/cancel')
  @TokenScope('orders:write')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel an order: customers their own while pending, staff until completed',
  })
  @ApiOkResponse({ type: OrderView })
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    ErrorCode.NOT_FOUND,
    ErrorCode.VERSION_CONFLICT,
    ErrorCode.INVALID_TRANSITION,
  )
  cancel(
    @CurrentAuth() auth: AuthContext,
    @Param('id', orderId) id: string,
    @Body() body: CancelOrderDto,
  ): Promise<OrderView> {
    return this.status.cancel(auth, id, body.reason);
  }
}
