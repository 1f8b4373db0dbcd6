import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { AuthContext } from '../auth/auth-context.js';
import { CurrentAuth, Roles, SessionOnly } from '../auth/auth.decorators.js';
import { clientOf } from '../auth/client-info.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { IdPipe } from '../common/ids.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { BEARER_AUTH } from '../common/openapi/openapi.js';
import { API_TOKEN_SCOPES } from './api-token-scopes.js';
import { ApiTokensService } from './api-tokens.service.js';
import { ApiTokenViewDto, CreateApiTokenDto, CreatedApiTokenDto } from './dto/api-token.dto.js';

const SCOPE_LIST = Object.entries(API_TOKEN_SCOPES)
  .map(([scope, description]) => `\`${scope}\`: ${description}`)
  .join('; ');

/**
 * API tokens for integrations. Only an admin signed in to the admin app manages them: these
 * routes are session-only, so a token can never make or revoke tokens.
 */
@ApiTags('API tokens')
@ApiBearerAuth(BEARER_AUTH)
@ApiErrors(
  ErrorCode.TOKEN_INVALID,
  ErrorCode.TOKEN_EXPIRED,
  ErrorCode.SESSION_REVOKED,
  ErrorCode.FORBIDDEN,
)
@Roles('admin')
@SessionOnly()
@Controller('tokens')
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Post()
  @ApiOperation({
    summary: 'Create an API token for an integration (shown once)',
    description:
      'Admin app sessions only (`403 FORBIDDEN` otherwise, also for an admin in the bartender app). The token (`tap_` + 32 random bytes, base64url) is in this response and nowhere else: only its SHA-256 is kept. ' +
      'Send it as `Authorization: Bearer tap_…`: it acts as you within its scopes, has no session, and stops working when it expires, when you revoke it, or when you are deactivated or lose the admin role. ' +
      `Scopes: ${SCOPE_LIST}. Audited (\`api_token_created\`).`,
  })
  @ApiCreatedResponse({ type: CreatedApiTokenDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED)
  create(
    @Body() body: CreateApiTokenDto,
    @CurrentAuth() auth: AuthContext,
    @Req() request: FastifyRequest,
  ): Promise<CreatedApiTokenDto> {
    return this.tokens.create(body, auth, clientOf(request).ip);
  }

  @Get()
  @ApiOperation({
    summary: 'Your API tokens that are not revoked, newest first (never the tokens themselves)',
  })
  @ApiOkResponse({ type: [ApiTokenViewDto] })
  list(@CurrentAuth() auth: AuthContext): Promise<ApiTokenViewDto[]> {
    return this.tokens.list(auth);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke one of your API tokens',
    description:
      'It is refused (`401 TOKEN_INVALID`) from the next request on, on every instance. Another admin’s token, or one already revoked, is `404`. Audited (`api_token_revoked`).',
  })
  @ApiNoContentResponse()
  @ApiErrors(ErrorCode.NOT_FOUND)
  revoke(
    // A malformed id names no token: 404, like an unknown one.
    @Param('id', new IdPipe('No such API token.')) id: string,
    @CurrentAuth() auth: AuthContext,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    return this.tokens.revoke(id, auth, clientOf(request).ip);
  }
}
