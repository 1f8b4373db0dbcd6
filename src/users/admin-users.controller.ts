import { Body, Controller, Get, Ip, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthContext } from '../auth/auth-context.js';
import { CurrentAuth, Roles, SessionOnly, TokenScope } from '../auth/auth.decorators.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { BEARER_AUTH } from '../common/openapi/openapi.js';
import type { Page } from '../common/pagination.js';
import { AdminUsersService } from './admin-users.service.js';
import {
  AdminUserDto,
  AdminUserPageDto,
  AdminUserQueryDto,
  CreateUserDto,
  UpdateUserDto,
  UserIdParamDto,
} from './dto/admin-users.dto.js';

const GUARD_ERRORS = [
  ErrorCode.TOKEN_INVALID,
  ErrorCode.TOKEN_EXPIRED,
  ErrorCode.SESSION_REVOKED,
  ErrorCode.FORBIDDEN,
  ErrorCode.RATE_LIMITED,
];

@ApiTags('users (admin)')
@ApiBearerAuth(BEARER_AUTH)
@Roles('admin')
@Controller('admin/users')
export class AdminUsersController {
  constructor(private readonly adminUsers: AdminUsersService) {}

  @Get()
  @TokenScope('users:read')
  @ApiOperation({ summary: 'List users, newest first; filter by role, search email and name' })
  @ApiOkResponse({ type: AdminUserPageDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, ...GUARD_ERRORS)
  list(@Query() query: AdminUserQueryDto): Promise<Page<AdminUserDto>> {
    return this.adminUsers.list(query);
  }

  @Get(':id')
  @TokenScope('users:read')
  @ApiOperation({ summary: 'One user, by id' })
  @ApiOkResponse({ type: AdminUserDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, ErrorCode.NOT_FOUND, ...GUARD_ERRORS)
  get(@Param() params: UserIdParamDto): Promise<AdminUserDto> {
    return this.adminUsers.get(params.id);
  }

  @Post()
  @SessionOnly()
  @ApiOperation({ summary: 'Create a user of any role (staff accounts have no sign-up)' })
  @ApiCreatedResponse({ type: AdminUserDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, ErrorCode.EMAIL_TAKEN, ...GUARD_ERRORS)
  create(
    @CurrentAuth() auth: AuthContext,
    @Body() dto: CreateUserDto,
    @Ip() ip: string,
  ): Promise<AdminUserDto> {
    return this.adminUsers.create(auth, dto, ip);
  }

  @Patch(':id')
  @SessionOnly()
  @ApiOperation({
    summary: 'Rename, change role, (de)activate or set a new password',
    description:
      'A role change, a deactivation or a new password ends all of the user’s sessions ' +
      '(reasons role_changed, deactivated, password_changed). The last active admin cannot be ' +
      'demoted or deactivated (409 LAST_ADMIN).',
  })
  @ApiOkResponse({ type: AdminUserDto })
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    ErrorCode.NOT_FOUND,
    ErrorCode.LAST_ADMIN,
    ...GUARD_ERRORS,
  )
  update(
    @CurrentAuth() auth: AuthContext,
    @Param() params: UserIdParamDto,
    @Body() dto: UpdateUserDto,
    @Ip() ip: string,
  ): Promise<AdminUserDto> {
    return this.adminUsers.update(auth, params.id, dto, ip);
  }
}
