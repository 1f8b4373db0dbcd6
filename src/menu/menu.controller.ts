import { Body, Controller, Get, Param, Patch, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { AuthContext } from '../auth/auth-context.js';
import { CurrentAuth, Public, Roles, TokenScope } from '../auth/auth.decorators.js';
import { actorOf } from '../auth/client-info.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { IdPipe } from '../common/ids.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { BEARER_AUTH } from '../common/openapi/openapi.js';
import { SetAvailabilityDto } from './dto/menu-item.dto.js';
import { MenuItemView } from './menu-item-view.js';
import { MenuService } from './menu.service.js';

/** A malformed id names no item: 404, like an unknown one. */
export const menuItemId = new IdPipe('No such menu item.');

@ApiTags('Menu')
@Controller('menu')
export class MenuController {
  constructor(private readonly menu: MenuService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'The menu: every item that is not archived' })
  @ApiOkResponse({ type: [MenuItemView] })
  list(): Promise<MenuItemView[]> {
    return this.menu.listMenu();
  }

  @Patch(':id/availability')
  @TokenScope('menu:write')
  @Roles('bartender', 'admin')
  @ApiBearerAuth(BEARER_AUTH)
  @ApiOperation({ summary: 'Take an item off the menu ("86") or put it back' })
  @ApiOkResponse({ type: MenuItemView })
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    ErrorCode.TOKEN_INVALID,
    ErrorCode.FORBIDDEN,
    ErrorCode.NOT_FOUND,
  )
  setAvailability(
    @Param('id', menuItemId) id: string,
    @Body() body: SetAvailabilityDto,
    @CurrentAuth() auth: AuthContext,
    @Req() request: FastifyRequest,
  ): Promise<MenuItemView> {
    return this.menu.setAvailability(id, body.available, actorOf(auth, request));
  }
}
