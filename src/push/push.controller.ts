import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthContext } from '../auth/auth-context.js';
import { CurrentAuth, Public, Roles, SessionOnly } from '../auth/auth.decorators.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { BEARER_AUTH } from '../common/openapi/openapi.js';
import {
  CreatePushSubscriptionDto,
  DeletePushSubscriptionDto,
} from './dto/push-subscription.dto.js';
import { PUSH_ROLES } from './push-roles.js';
import { PushKeyView, PushSubscriptionView } from './push-views.js';
import { PushService } from './push.service.js';

@ApiTags('Push')
@SessionOnly()
@Controller('push')
export class PushController {
  constructor(private readonly push: PushService) {}

  @Get('key')
  @Public()
  @ApiOperation({
    summary: "The server's VAPID public key, to subscribe to ready alerts with",
    description: '`503 SERVICE_UNAVAILABLE` when push is off (production without VAPID keys).',
  })
  @ApiOkResponse({ type: PushKeyView })
  @ApiErrors(ErrorCode.SERVICE_UNAVAILABLE)
  key(): PushKeyView {
    return this.push.publicKey();
  }

  @Post('subscriptions')
  @Roles(...PUSH_ROLES)
  @ApiBearerAuth(BEARER_AUTH)
  @ApiOperation({
    summary: "Send this session's ready alerts to a browser's push subscription",
    description:
      'The body is what `PushSubscription.toJSON()` gives, without `expirationTime`. The subscription belongs to the session and is deleted when it ends; the same endpoint again moves it to the calling session. When an order becomes ready or staff cancel it, each subscription gets an encrypted Web Push message (RFC 8291, aes128gcm; VAPID) with the JSON `{title, body, url, orderId, status, number}`.',
  })
  @ApiCreatedResponse({ type: PushSubscriptionView })
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    ErrorCode.TOKEN_INVALID,
    ErrorCode.TOKEN_EXPIRED,
    ErrorCode.SESSION_REVOKED,
    ErrorCode.FORBIDDEN,
    ErrorCode.SERVICE_UNAVAILABLE,
  )
  subscribe(
    @CurrentAuth() auth: AuthContext,
    @Body() body: CreatePushSubscriptionDto,
  ): Promise<PushSubscriptionView> {
    return this.push.subscribe(auth, body);
  }

  @Delete('subscriptions')
  @Roles(...PUSH_ROLES)
  @HttpCode(204)
  @ApiBearerAuth(BEARER_AUTH)
  @ApiOperation({
    summary: 'Stop ready alerts to a push subscription (the app does it when signing out)',
    description: 'Idempotent: an endpoint the caller has no subscription for also gets `204`.',
  })
  @ApiNoContentResponse()
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    ErrorCode.TOKEN_INVALID,
    ErrorCode.TOKEN_EXPIRED,
    ErrorCode.SESSION_REVOKED,
    ErrorCode.FORBIDDEN,
  )
  unsubscribe(
    @CurrentAuth() auth: AuthContext,
    @Body() body: DeletePushSubscriptionDto,
  ): Promise<void> {
    return this.push.unsubscribe(auth, body.endpoint);
  }
}
