import { Body, Controller, Get, Patch, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { AuthContext } from '../auth/auth-context.js';
import { CurrentAuth, Public, Roles, SessionOnly } from '../auth/auth.decorators.js';
import { actorOf } from '../auth/client-info.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { BEARER_AUTH } from '../common/openapi/openapi.js';
import { UpdateVenueDto } from './dto/update-venue.dto.js';
import { VenueView } from './venue-view.js';
import { VenueService } from './venue.service.js';

@ApiTags('Venue')
@Controller()
export class VenueController {
  constructor(private readonly venue: VenueService) {}

  @Get('venue')
  @Public()
  @ApiOperation({
    summary: "How the venue works: stations, the recall window, the bar's ticket age colours",
  })
  @ApiOkResponse({ type: VenueView })
  get(): Promise<VenueView> {
    return this.venue.get();
  }

  @Patch('admin/venue')
  @SessionOnly()
  @Roles('admin')
  @ApiBearerAuth(BEARER_AUTH)
  @ApiOperation({
    summary: 'Set when a ticket on the bar board turns amber and red',
    description: 'Every app hears `venue.updated`. Amber must come before red.',
  })
  @ApiOkResponse({ type: VenueView })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, ErrorCode.TOKEN_INVALID, ErrorCode.FORBIDDEN)
  update(
    @Body() body: UpdateVenueDto,
    @CurrentAuth() auth: AuthContext,
    @Req() request: FastifyRequest,
  ): Promise<VenueView> {
    return this.venue.update(body, actorOf(auth, request));
  }
}
