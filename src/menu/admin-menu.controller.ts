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
import { CurrentAuth, Roles, TokenScope } from '../auth/auth.decorators.js';
import { actorOf } from '../auth/client-info.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { BEARER_AUTH } from '../common/openapi/openapi.js';
import { CreateMenuItemDto, UpdateMenuItemDto } from './dto/menu-item.dto.js';
import { MenuItemView } from './menu-item-view.js';
import { menuItemId } from './menu.controller.js';
import { MenuService } from './menu.service.js';

@ApiTags('Menu (admin)')
@ApiBearerAuth(BEARER_AUTH)
@ApiErrors(ErrorCode.TOKEN_INVALID, ErrorCode.FORBIDDEN)
@Roles('admin')
@Controller('admin/menu-items')
export class AdminMenuController {
  constructor(private readonly menu: MenuService) {}

  @Get()
  @TokenScope('menu:read')
  @ApiOperation({ summary: 'Every menu item, archived ones included' })
  @ApiOkResponse({ type: [MenuItemView] })
  list(): Promise<MenuItemView[]> {
    return this.menu.listAll();
  }

  @Post()
  @TokenScope('menu:write')
  @ApiOperation({ summary: 'Add a menu item' })
  @ApiCreatedResponse({ type: MenuItemView })
  @ApiErrors(ErrorCode.VALIDATION_FAILED)
  create(
    @Body() body: CreateMenuItemDto,
    @CurrentAuth() auth: AuthContext,
    @Req() request: FastifyRequest,
  ): Promise<MenuItemView> {
    return this.menu.create(body, actorOf(auth, request));
  }

  @Patch(':id')
  @TokenScope('menu:write')
  @ApiOperation({
    summary: 'Change any fields of an item, or restock it with stockDelta',
    description:
      'stockDelta is added to the stock as it is at that moment, so units that concurrent orders took are never put back.',
  })
  @ApiOkResponse({ type: MenuItemView })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, ErrorCode.NOT_FOUND)
  update(
    @Param('id', menuItemId) id: string,
    @Body() body: UpdateMenuItemDto,
    @CurrentAuth() auth: AuthContext,
    @Req() request: FastifyRequest,
  ): Promise<MenuItemView> {
    return this.menu.update(id, body, actorOf(auth, request));
  }

  @Post(':id/restore')
  @TokenScope('menu:write')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Bring an archived item back onto the menu (the undo of an archive)',
    description:
      'Audited as menu_item_updated (archived: true → false). An item not archived is returned as it is.',
  })
  @ApiOkResponse({ type: MenuItemView })
  @ApiErrors(ErrorCode.NOT_FOUND)
  restore(
    @Param('id', menuItemId) id: string,
    @CurrentAuth() auth: AuthContext,
    @Req() request: FastifyRequest,
  ): Promise<MenuItemView> {
    return this.menu.restore(id, actorOf(auth, request));
  }

  @Delete(':id')
  @TokenScope('menu:write')
  @HttpCode(204)
  @ApiOperation({ summary: 'Archive an item: it leaves the menu, past orders keep their lines' })
  @ApiNoContentResponse()
  @ApiErrors(ErrorCode.NOT_FOUND)
  archive(
    @Param('id', menuItemId) id: string,
    @CurrentAuth() auth: AuthContext,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    return this.menu.archive(id, actorOf(auth, request));
  }
}
