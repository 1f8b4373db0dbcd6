import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
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
import { actorOf } from '../auth/client-info.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { IdPipe } from '../common/ids.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { BEARER_AUTH } from '../common/openapi/openapi.js';
import { CreateTableDto, TableViewDto, UpdateTableDto } from './dto/table.dto.js';
import { TablesService } from './tables.service.js';

/** A malformed id names no table: 404, like an unknown one. */
const tableId = new IdPipe('No such table.');

@ApiTags('Tables')
@ApiBearerAuth(BEARER_AUTH)
@ApiErrors(
  ErrorCode.TOKEN_INVALID,
  ErrorCode.TOKEN_EXPIRED,
  ErrorCode.SESSION_REVOKED,
  ErrorCode.FORBIDDEN,
)
@Roles('admin')
@SessionOnly()
@Controller('admin/tables')
export class AdminTablesController {
  constructor(private readonly tables: TablesService) {}

  @Get()
  @ApiOperation({ summary: 'Every table with its QR link, by number (for a QR sheet)' })
  @ApiOkResponse({ type: [TableViewDto] })
  list(): Promise<TableViewDto[]> {
    return this.tables.list();
  }

  @Post()
  @ApiOperation({
    summary: 'Add a table with a new QR code',
    description: 'A number another table has gets `409 TABLE_NUMBER_TAKEN`. Audited.',
  })
  @ApiCreatedResponse({ type: TableViewDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, ErrorCode.TABLE_NUMBER_TAKEN)
  create(
    @Body() body: CreateTableDto,
    @CurrentAuth() auth: AuthContext,
    @Req() request: FastifyRequest,
  ): Promise<TableViewDto> {
    return this.tables.create(body, actorOf(auth, request));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Label a table (or remove its label)' })
  @ApiOkResponse({ type: TableViewDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, ErrorCode.NOT_FOUND)
  relabel(
    @Param('id', tableId) id: string,
    @Body() body: UpdateTableDto,
    @CurrentAuth() auth: AuthContext,
    @Req() request: FastifyRequest,
  ): Promise<TableViewDto> {
    return this.tables.relabel(id, body.label, actorOf(auth, request));
  }

  @Post(':id/rotate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Give a table a new QR code',
    description:
      'The old link stops seating guests at once (`404 TABLE_UNKNOWN`); guests already ' +
      'seated keep their sessions. Audited.',
  })
  @ApiOkResponse({ type: TableViewDto })
  @ApiErrors(ErrorCode.NOT_FOUND)
  rotate(
    @Param('id', tableId) id: string,
    @CurrentAuth() auth: AuthContext,
    @Req() request: FastifyRequest,
  ): Promise<TableViewDto> {
    return this.tables.rotate(id, actorOf(auth, request));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a table',
    description:
      'Its QR link stops seating guests (`404 TABLE_UNKNOWN`); guests already seated keep ' +
      'their sessions and their table number. Audited.',
  })
  @ApiNoContentResponse()
  @ApiErrors(ErrorCode.NOT_FOUND)
  async remove(
    @Param('id', tableId) id: string,
    @CurrentAuth() auth: AuthContext,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.tables.remove(id, actorOf(auth, request));
  }
}
