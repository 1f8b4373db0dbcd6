import { Controller, HttpCode, Ip, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthContext } from '../auth/auth-context.js';
import { CurrentAuth, Roles, SessionOnly } from '../auth/auth.decorators.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { BEARER_AUTH } from '../common/openapi/openapi.js';
import { UserIdParamDto } from '../users/dto/admin-users.dto.js';
import { TwoFactorService } from './two-factor.service.js';

/** An admin's reset of another user's two-factor sign-in. */
@ApiTags('users (admin)')
@ApiBearerAuth(BEARER_AUTH)
@Roles('admin')
@SessionOnly()
@Controller('admin/users')
export class AdminTwoFactorController {
  constructor(private readonly twoFactor: TwoFactorService) {}

  @Post(':id/2fa/reset')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Reset a user’s two-factor sign-in and end their sessions',
    description:
      'For someone who lost their authenticator and recovery codes: the key and recovery ' +
      'codes are deleted, two-factor sign-in is off, and every session of the user ends ' +
      '(reason `admin`), in one transaction. They sign in with the password alone and can set ' +
      'it up again (with `TWO_FACTOR_ADMIN=required`, an admin must). Idempotent; audited ' +
      "(`two_factor_reset`). Not for one's own account (`403 FORBIDDEN`, " +
      '`details.reason = "own_account"`): that takes `POST /api/auth/2fa/disable` with the ' +
      'password and a code, or another admin. Sessions only (API tokens get `403`).',
  })
  @ApiNoContentResponse()
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    ErrorCode.NOT_FOUND,
    ErrorCode.TOKEN_INVALID,
    ErrorCode.TOKEN_EXPIRED,
    ErrorCode.SESSION_REVOKED,
    ErrorCode.FORBIDDEN,
  )
  reset(
    @CurrentAuth() auth: AuthContext,
    @Param() params: UserIdParamDto,
    @Ip() ip: string,
  ): Promise<void> {
    return this.twoFactor.reset(auth, params.id, ip || null);
  }
}
