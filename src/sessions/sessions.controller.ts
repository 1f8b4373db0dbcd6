import { Controller, Delete, Get, HttpCode, Param, Query, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
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
import type { Page } from '../common/pagination.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { BEARER_AUTH } from '../common/openapi/openapi.js';
import { AdminSessionsQueryDto } from './dto/admin-sessions-query.dto.js';
import { IdParamDto } from './dto/id-param.dto.js';
import { AdminSessionPageDto, SessionViewDto } from './dto/session-view.dto.js';
import { SessionDirectoryService } from './session-directory.service.js';
import type { AdminSessionView, SessionView } from './session-view.js';

const TOKEN_ERRORS = [ErrorCode.TOKEN_INVALID, ErrorCode.TOKEN_EXPIRED, ErrorCode.SESSION_REVOKED];

@ApiTags('sessions')
@ApiBearerAuth(BEARER_AUTH)
@SessionOnly()
@Controller('sessions')
export class SessionsController {
  constructor(private readonly directory: SessionDirectoryService) {}

  @Get()
  @ApiOperation({ summary: 'The caller’s active sessions, most recently active first' })
  @ApiOkResponse({ type: [SessionViewDto] })
  @ApiErrors(...TOKEN_ERRORS)
  list(@CurrentAuth() auth: AuthContext): Promise<SessionView[]> {
    return this.directory.listOwn(auth);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'End one of the caller’s sessions' })
  @ApiNoContentResponse()
  @ApiErrors(ErrorCode.VALIDATION_FAILED, ErrorCode.NOT_FOUND, ...TOKEN_ERRORS)
  revoke(
    @CurrentAuth() auth: AuthContext,
    @Param() params: IdParamDto,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    return this.directory.revokeOwn(auth, params.id, clientOf(request).ip);
  }
}

@ApiTags('admin: sessions')
@ApiBearerAuth(BEARER_AUTH)
@Roles('admin')
@SessionOnly()
@Controller('admin')
export class AdminSessionsController {
  constructor(private readonly directory: SessionDirectoryService) {}

  @Get('sessions')
  @ApiOperation({ summary: 'Active sessions of all users, filtered and paginated' })
  @ApiOkResponse({ type: AdminSessionPageDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, ErrorCode.FORBIDDEN, ...TOKEN_ERRORS)
  list(
    @Query() query: AdminSessionsQueryDto,
    @CurrentAuth() auth: AuthContext,
  ): Promise<Page<AdminSessionView>> {
    return this.directory.listAll(query, auth);
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'End any session (reason `admin`)' })
  @ApiNoContentResponse()
  @ApiErrors(ErrorCode.VALIDATION_FAILED, ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN, ...TOKEN_ERRORS)
  revoke(
    @Param() params: IdParamDto,
    @CurrentAuth() auth: AuthContext,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    return this.directory.revokeAny(params.id, auth, clientOf(request).ip);
  }

  @Delete('users/:id/sessions')
  @HttpCode(204)
  @ApiOperation({ summary: 'End every session of a user (reason `admin`)' })
  @ApiNoContentResponse()
  @ApiErrors(ErrorCode.VALIDATION_FAILED, ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN, ...TOKEN_ERRORS)
  revokeAllOfUser(
    @Param() params: IdParamDto,
    @CurrentAuth() auth: AuthContext,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    return this.directory.revokeAllOfUser(params.id, auth, clientOf(request).ip);
  }
}
