import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ErrorCode } from '../common/errors/error-code.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { Public, SessionOnly } from './auth.decorators.js';
import { clientOf } from './client-info.js';
import {
  PasswordResetConfirmDto,
  PasswordResetRequestDto,
  SignOutEverywhereDto,
} from './dto/password-reset.dto.js';
import { PasswordResetService } from './password-reset.service.js';

/** Password reset by mail and the "sign out everywhere" link of new sign-in notices. */
@ApiTags('auth')
@SessionOnly()
@Controller('auth')
export class PasswordResetController {
  constructor(private readonly resets: PasswordResetService) {}

  @Post('password-reset')
  @Public()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Ask for a password reset link by mail',
    description:
      'Answers `202` whatever the email: if an active account (customer or staff) has it, a ' +
      'mail goes out with a link to the right app (`/reset-password`, `/bartender/reset-password` ' +
      'or `/admin/reset-password`) holding a single-use token valid 30 minutes. The answer comes ' +
      'before the account is even looked up, so known and unknown emails take the same time. A ' +
      'new link leaves the earlier unused ones valid (each works once, until it expires); a ' +
      'successful reset voids them all. At most `RATE_LIMIT_PASSWORD_RESET_EMAIL` ' +
      '(5) per email and `RATE_LIMIT_PASSWORD_RESET_IP` (20) per IP per ' +
      '`RATE_LIMIT_PASSWORD_RESET_WINDOW` (an hour), counted for unknown emails alike (`429` ' +
      'with `Retry-After`). `503 MAIL_UNAVAILABLE` in production without `SMTP_URL`.',
  })
  @ApiAcceptedResponse({ description: 'Accepted; a mail follows if the account exists.' })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, ErrorCode.RATE_LIMITED, ErrorCode.MAIL_UNAVAILABLE)
  async request(
    @Body() dto: PasswordResetRequestDto,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.resets.request(dto.email, clientOf(request));
  }

  @Post('password-reset/confirm')
  @Public()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Set a new password with the token of a reset mail',
    description:
      'Spends the token (once: of two concurrent confirmations one wins) and sets the ' +
      'password, which follows the rules of the account’s role. Every session of the user ends ' +
      '(reason `password_reset`), their API tokens are revoked and their known devices ' +
      'forgotten (the next sign-in from any device sends a notice), the reset is audited ' +
      '(`password_reset`) and a confirmation mail goes out. A bad, used or expired token, or one ' +
      'issued before the account was deactivated, changed role or changed password: ' +
      '`400 VALIDATION_FAILED` on `token`; a password the rules refuse: `400` on `newPassword` ' +
      '(the token stays usable).',
  })
  @ApiNoContentResponse()
  @ApiErrors(ErrorCode.VALIDATION_FAILED, ErrorCode.MAIL_UNAVAILABLE)
  confirm(@Body() dto: PasswordResetConfirmDto, @Req() request: FastifyRequest): Promise<void> {
    return this.resets.confirm(dto.token, dto.newPassword, clientOf(request));
  }

  @Post('sign-out-everywhere')
  @Public()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Sign out everywhere with the link of a new sign-in mail',
    description:
      'The "New sign-in" mail links to `<app>/sign-out-everywhere?token=…`, whose page calls ' +
      'this. The token works once, for 7 days: every session of the account ends (reason ' +
      '`logout_all`), its API tokens are revoked and its known devices forgotten (the next ' +
      'sign-in from any device sends a notice), audited as `signed_out_everywhere`. The ' +
      'password stays: reset it next. A bad, used or expired token, or one issued before the ' +
      'account was deactivated, changed role or password: `400 VALIDATION_FAILED` on `token`.',
  })
  @ApiNoContentResponse()
  @ApiErrors(ErrorCode.VALIDATION_FAILED)
  signOutEverywhere(
    @Body() dto: SignOutEverywhereDto,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    return this.resets.signOutEverywhere(dto.token, clientOf(request));
  }
}
