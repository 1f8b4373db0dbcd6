import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators.js';
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
  @ApiOperation({ summary: 'Every menu item, archived ones included' })
  @ApiOkResponse({ type: [MenuItemView] })
  list(): Promise<MenuItemView[]> {
    return this.menu.listAll();
  }

  @Post()
  @ApiOperation({ summary: 'Add a menu item' })
  @ApiCreatedResponse({ type: MenuItemView })
  @ApiErrors(ErrorCode.VALIDATION_FAILED)
  create(@Body() body: CreateMenuItemDto): Promise<MenuItemView> {
    return this.menu.create(body);
  }

  @Patch(':id')
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
  ): Promise<MenuItemView> {
    return this.menu.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Archive an item: it leaves the menu, past orders keep their lines' })
  @ApiNoContentResponse()
  @ApiErrors(ErrorCode.NOT_FOUND)
  archive(@Param('id', menuItemId) id: string): Promise<void> {
    return this.menu.archive(id);
  }
}
