import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { AuthContext } from '../auth/auth-context.js';
import { CurrentAuth, DuringTwoFactorSetup, Roles, SessionOnly } from '../auth/auth.decorators.js';
import { clientOf } from '../auth/client-info.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { BEARER_AUTH } from '../common/openapi/openapi.js';
import { ACCOUNT_ROLES } from '../users/role.js';
import {
  RecoveryCodesDto,
  TwoFactorDisableDto,
  TwoFactorEnableDto,
  TwoFactorSetupDto,
  TwoFactorSetupRequestDto,
} from './dto/two-factor.dto.js';
import { TwoFactorService } from './two-factor.service.js';
import { isTotpCode } from './totp.js';

const TOKEN_ERRORS = [ErrorCode.TOKEN_INVALID, ErrorCode.TOKEN_EXPIRED, ErrorCode.SESSION_REVOKED];

/** The caller's own two-factor sign-in: set up, confirm, turn off. */
@ApiTags('auth')
@ApiBearerAuth(BEARER_AUTH)
@SessionOnly()
@Roles(...ACCOUNT_ROLES)
@Controller('auth/2fa')
export class TwoFactorController {
  constructor(private readonly twoFactor: TwoFactorService) {}

  @Post('setup')
  @HttpCode(200)
  @DuringTwoFactorSetup()
  @ApiOperation({
    summary: 'Start setting up two-factor sign-in: a new key for an authenticator app',
    description:
      'A new TOTP key (RFC 6238: SHA-1, 6 digits, 30 s), as text, as an `otpauth://` URI and ' +
      'as a QR code (SVG). Needs the current password ("confirm access"): a wrong one is ' +
      '`401 INVALID_CREDENTIALS` and counts as a failed sign-in of the account (same limits, ' +
      '`429`). The key waits, encrypted, until `POST /api/auth/2fa/enable` confirms it with a ' +
      'code; asking again replaces it. Already on: `403 FORBIDDEN` ' +
      '(`details.reason = "two_factor_enabled"`). Not for guests (`403`).',
  })
  @ApiOkResponse({ type: TwoFactorSetupDto })
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    ErrorCode.INVALID_CREDENTIALS,
    ErrorCode.FORBIDDEN,
    ErrorCode.RATE_LIMITED,
    ...TOKEN_ERRORS,
  )
  setup(
    @CurrentAuth() auth: AuthContext,
    @Body() dto: TwoFactorSetupRequestDto,
    @Req() request: FastifyRequest,
  ): Promise<TwoFactorSetupDto> {
    return this.twoFactor.setup(auth, dto.password, clientOf(request));
  }

  @Post('enable')
  @HttpCode(200)
  @DuringTwoFactorSetup()
  @ApiOperation({
    summary: 'Turn two-factor sign-in on with a code of the new key',
    description:
      'Confirms the key of the last setup with its current code (one step of clock drift ' +
      'either way): from now on a sign-in asks for a code after the password. Answers the ten ' +
      'recovery codes, shown this once (earlier ones stop working), and ends every other ' +
      'session of the account (reason `logout_all`; this one stays). A wrong code, no setup ' +
      'started, or a newer setup since the code was made (start again): `400 ' +
      'VALIDATION_FAILED` on `code`. A setup-only session (TWO_FACTOR_ADMIN) refreshes ' +
      'afterwards for a full one. Audited (`two_factor_enabled`, `session_revoked`).',
  })
  @ApiOkResponse({ type: RecoveryCodesDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, ErrorCode.FORBIDDEN, ...TOKEN_ERRORS)
  async enable(
    @CurrentAuth() auth: AuthContext,
    @Body() dto: TwoFactorEnableDto,
    @Req() request: FastifyRequest,
  ): Promise<RecoveryCodesDto> {
    const recoveryCodes = await this.twoFactor.enable(auth, dto.code.trim(), clientOf(request));
    return { recoveryCodes };
  }

  @Post('disable')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Turn two-factor sign-in off (password and a code)',
    description:
      'Needs the password and a code: a current one from the authenticator app or one of the ' +
      'recovery codes (so someone who lost the phone but kept the codes can start over). A ' +
      'wrong password is `401 INVALID_CREDENTIALS`, a wrong code `401 TOTP_INVALID`; both count ' +
      'as failed sign-ins of the account (same limits, `429`). With `TWO_FACTOR_ADMIN=required` ' +
      'an admin cannot turn it off (`403 FORBIDDEN`; another admin can reset it). Already off: ' +
      '`400 VALIDATION_FAILED`. Audited (`two_factor_disabled`).',
  })
  @ApiNoContentResponse()
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    ErrorCode.INVALID_CREDENTIALS,
    ErrorCode.TOTP_INVALID,
    ErrorCode.FORBIDDEN,
    ErrorCode.RATE_LIMITED,
    ...TOKEN_ERRORS,
  )
  disable(
    @CurrentAuth() auth: AuthContext,
    @Body() dto: TwoFactorDisableDto,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    const code = dto.code.trim();
    const factor = isTotpCode(code) ? { code } : { recoveryCode: code };
    return this.twoFactor.disable(auth, { password: dto.password, ...factor }, clientOf(request));
  }
}
