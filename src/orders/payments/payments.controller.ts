import { Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthContext } from '../../auth/auth-context.js';
import { CurrentAuth, Roles, SessionOnly } from '../../auth/auth.decorators.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import { IdPipe } from '../../common/ids.js';
import { ApiErrors } from '../../common/openapi/api-errors.decorator.js';
import { BEARER_AUTH } from '../../common/openapi/openapi.js';
import { IDEMPOTENCY_HEADER, parseIdempotencyKey } from '../idempotency.js';
import { OrderView } from '../order-view.js';
import { RecordPaymentDto, RecordRefundDto, TabPaymentDto } from './dto/payment.dto.js';
import { TabQueryDto } from './dto/tab-query.dto.js';
import { PaymentsService } from './payments.service.js';
import { TabView } from './tab-view.js';
import { TabsService } from './tabs.service.js';

/** A malformed id names no order: 404, like an unknown one. */
const orderId = new IdPipe('No such order.');

const KEY_HEADER = {
  name: IDEMPOTENCY_HEADER,
  required: true,
  description:
    '1-255 visible ASCII characters, e.g. a UUID; remembered per staff member for 24 hours. The same key and body replay the first answer (header Idempotent-Replayed: true); another body is 422.',
} as const;

@ApiTags('Payments and tabs')
@ApiBearerAuth(BEARER_AUTH)
@SessionOnly()
@ApiErrors(
  ErrorCode.TOKEN_INVALID,
  ErrorCode.TOKEN_EXPIRED,
  ErrorCode.SESSION_REVOKED,
  ErrorCode.FORBIDDEN,
)
@Controller()
export class PaymentsController {
  constructor(
    private readonly payments: PaymentsService,
    private readonly tabs: TabsService,
  ) {}

  @Post('orders/:id/payments')
  @Roles('bartender', 'admin')
  @ApiOperation({
    summary: 'Record a payment towards an order',
    description:
      'At most the balance (`409 PAYMENT_EXCEEDS_BALANCE`, details.balanceCents); a cancelled order is `409 INVALID_TRANSITION`. The tip comes on top. Concurrent payments of one order are checked one after the other.',
  })
  @ApiHeader(KEY_HEADER)
  @ApiCreatedResponse({ type: OrderView })
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    ErrorCode.NOT_FOUND,
    ErrorCode.INVALID_TRANSITION,
    ErrorCode.PAYMENT_EXCEEDS_BALANCE,
    ErrorCode.IDEMPOTENCY_MISMATCH,
  )
  async pay(
    @CurrentAuth() auth: AuthContext,
    @Param('id', orderId) id: string,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: RecordPaymentDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderView> {
    const recorded = await this.payments.pay(auth, id, parseIdempotencyKey(key), body);
    if (recorded.replayed) void reply.header('idempotent-replayed', 'true');
    return recorded.result;
  }

  @Post('orders/:id/refunds')
  @Roles('admin')
  @ApiOperation({
    summary: 'Refund (part of) what was paid for an order',
    description:
      'At most paidCents (`409 PAYMENT_EXCEEDS_BALANCE`, details.paidCents); tips are not refunded. `method` defaults to the method of the last payment.',
  })
  @ApiCreatedResponse({ type: OrderView })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, ErrorCode.NOT_FOUND, ErrorCode.PAYMENT_EXCEEDS_BALANCE)
  refund(
    @CurrentAuth() auth: AuthContext,
    @Param('id', orderId) id: string,
    @Body() body: RecordRefundDto,
  ): Promise<OrderView> {
    return this.payments.refund(auth, id, body);
  }

  @Get('tabs')
  @Roles('bartender', 'admin')
  @ApiOperation({
    summary: "A table's or a customer's tab: today's orders left to pay, oldest first",
    description:
      'Exactly one of tableNumber and customerId. The orders placed on the current business day (VENUE_TIMEZONE) that are not cancelled and have a balance.',
  })
  @ApiOkResponse({ type: TabView })
  @ApiErrors(ErrorCode.VALIDATION_FAILED)
  tab(@Query() query: TabQueryDto): Promise<TabView> {
    return this.tabs.tab(query);
  }

  @Post('tabs/payments')
  @Roles('bartender', 'admin')
  @ApiOperation({
    summary: 'Pay (part of) a tab: the chosen orders, or all, oldest first',
    description:
      'Exactly one of tableNumber and customerId. Each order is paid up to its balance, oldest first; the tip goes with the first order paid. More than the balance of the chosen orders is `409 PAYMENT_EXCEEDS_BALANCE`; an orderId that is not an order of the tab (today, not cancelled) is `400 VALIDATION_FAILED` on orderIds. Answers the tab after the payment.',
  })
  @ApiHeader(KEY_HEADER)
  @ApiCreatedResponse({ type: TabView })
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    ErrorCode.PAYMENT_EXCEEDS_BALANCE,
    ErrorCode.IDEMPOTENCY_MISMATCH,
  )
  async payTab(
    @CurrentAuth() auth: AuthContext,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: TabPaymentDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TabView> {
    const recorded = await this.tabs.pay(auth, parseIdempotencyKey(key), body);
    if (recorded.replayed) void reply.header('idempotent-replayed', 'true');
    return recorded.result;
  }
}
