import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles, TokenScope } from '../auth/auth.decorators.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { BEARER_AUTH } from '../common/openapi/openapi.js';
import type { CursorPage } from '../common/pagination.js';
import { AuditService } from './audit.service.js';
import { AuditPageDto, type AuditEventDto } from './dto/audit-event.dto.js';
import { AuditQueryDto } from './dto/audit-query.dto.js';

@ApiTags('audit')
@ApiBearerAuth(BEARER_AUTH)
@Roles('admin')
@TokenScope('audit:read')
@Controller('admin/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({
    summary: 'List audit events, newest first, with filters and pagination',
    description:
      'A page at a time by `page`, or after `cursor` (the `nextCursor` of the previous answer: ' +
      'the same cost at any depth, `q` too). A malformed cursor, one of another list, or ' +
      '`cursor` with `page` above 1 is `400 VALIDATION_FAILED` naming `cursor`.',
  })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    ErrorCode.TOKEN_INVALID,
    ErrorCode.TOKEN_EXPIRED,
    ErrorCode.SESSION_REVOKED,
    ErrorCode.FORBIDDEN,
    ErrorCode.RATE_LIMITED,
  )
  list(@Query() query: AuditQueryDto): Promise<CursorPage<AuditEventDto>> {
    return this.audit.list(query);
  }
}
