import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { PublicTableDto } from './dto/table.dto.js';
import { TablesService } from './tables.service.js';

@ApiTags('Tables')
@Controller('tables')
export class TablesController {
  constructor(private readonly tables: TablesService) {}

  @Get(':token')
  @Public()
  @ApiOperation({
    summary: 'Which table a QR token names',
    description:
      'For a signed-in customer who opens a table link: they keep their account and get the ' +
      'table filled in, without becoming a guest. An unknown, rotated or deleted table’s ' +
      'token gets `404 TABLE_UNKNOWN`. Counted by the general limits like every public route.',
  })
  @ApiOkResponse({ type: PublicTableDto })
  @ApiErrors(ErrorCode.TABLE_UNKNOWN, ErrorCode.RATE_LIMITED)
  describe(@Param('token') token: string): Promise<PublicTableDto> {
    return this.tables.describe(token);
  }
}
