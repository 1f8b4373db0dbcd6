import { Body, Controller, Get, Headers, Param, Patch, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiNotModifiedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthContext } from '../auth/auth-context.js';
import { CurrentAuth, Public, Roles, TokenScope } from '../auth/auth.decorators.js';
import { actorOf } from '../auth/client-info.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { IdPipe } from '../common/ids.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { BEARER_AUTH } from '../common/openapi/openapi.js';
import { SetAvailabilityDto } from './dto/menu-item.dto.js';
import { MenuItemView } from './menu-item-view.js';
import { ifNoneMatchHits, MenuSnapshot } from './menu-snapshot.js';
import { MenuService } from './menu.service.js';

/** A malformed id names no item: 404, like an unknown one. */
export const menuItemId = new IdPipe('No such menu item.');
/** A malformed option id names no option: 404. */
export const menuOptionId = new IdPipe('No such option.');

@ApiTags('Menu')
@Controller('menu')
export class MenuController {
  constructor(
    private readonly menu: MenuService,
    private readonly snapshot: MenuSnapshot,
  ) {}

  @Get()
  @Public()
  @ApiOperation({
    summary: 'The menu: every item that is not archived',
    description:
      'Served from memory with a strong `ETag`: a client that keeps the menu sends it back in ' +
      '`If-None-Match`, and an unchanged menu answers `304` with no body. Stock figures are ' +
      'never older than the last `menu.updated` event.',
  })
  @ApiHeader({
    name: 'If-None-Match',
    required: false,
    description: 'An ETag from an earlier answer',
  })
  @ApiOkResponse({ type: [MenuItemView] })
  @ApiNotModifiedResponse({ description: 'The menu is unchanged since the ETag was given' })
  async list(
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { json, etag } = await this.snapshot.rendition();
    // Cache-Control stays `no-store`, as for every API answer (the contract): a client that
    // keeps the menu sends its ETag back itself.
    void reply.header('etag', etag);
    if (ifNoneMatchHits(ifNoneMatch, etag)) {
      await reply.code(304).send();
      return;
    }
    await reply.type('application/json; charset=utf-8').send(json);
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

  @Patch(':id/options/:optionId/availability')
  @TokenScope('menu:write')
  @Roles('bartender', 'admin')
  @ApiBearerAuth(BEARER_AUTH)
  @ApiOperation({
    summary: 'Take one option of an item off ("86") or put it back',
    description:
      'Orders that choose an option while it is off are refused with `400 OPTIONS_INVALID` ' +
      '(reason `unavailable`). Emits `menu.updated`; audited as `menu_availability_changed`.',
  })
  @ApiOkResponse({ type: MenuItemView })
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    ErrorCode.TOKEN_INVALID,
    ErrorCode.FORBIDDEN,
    ErrorCode.NOT_FOUND,
  )
  setOptionAvailability(
    @Param('id', menuItemId) id: string,
    @Param('optionId', menuOptionId) optionId: string,
    @Body() body: SetAvailabilityDto,
    @CurrentAuth() auth: AuthContext,
    @Req() request: FastifyRequest,
  ): Promise<MenuItemView> {
    return this.menu.setOptionAvailability(id, optionId, body.available, actorOf(auth, request));
  }
}
