import { Controller, Get, Headers, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthContext } from '../auth/auth-context.js';
import { CurrentAuth, SessionOnly } from '../auth/auth.decorators.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { BEARER_AUTH } from '../common/openapi/openapi.js';
import { EventStreams, MAX_STREAMS_PER_SESSION } from './event-streams.service.js';
import { SessionRevokedEventDto } from './dto/session-revoked-event.dto.js';

@ApiTags('events')
@ApiBearerAuth(BEARER_AUTH)
@SessionOnly()
@Controller('events')
export class EventsController {
  constructor(private readonly streams: EventStreams) {}

  @Get()
  @ApiOperation({
    summary: 'Live events (Server-Sent Events)',
    description:
      'A `text/event-stream` of `order.created`, `order.updated` (staff and the owning customer), ' +
      '`menu.updated` and `venue.updated` (everyone), `session.revoked` (this session, then the ' +
      'stream closes) and ' +
      '`resync` (the `Last-Event-ID` is unknown or older than the event log keeps: reload). ' +
      'Every event has an `id:`; a comment heartbeat comes at least every 25 s. The bearer token ' +
      `goes in the Authorization header, never in the URL. At most ${MAX_STREAMS_PER_SESSION} ` +
      'open streams per session.',
  })
  @ApiProduces('text/event-stream')
  @ApiExtraModels(SessionRevokedEventDto)
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'The id of the last event received; what came after it is replayed first',
  })
  @ApiOkResponse({
    description: 'The event stream',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiErrors(
    ErrorCode.TOKEN_INVALID,
    ErrorCode.TOKEN_EXPIRED,
    ErrorCode.SESSION_REVOKED,
    ErrorCode.RATE_LIMITED,
    ErrorCode.SERVICE_UNAVAILABLE,
  )
  stream(
    @CurrentAuth() auth: AuthContext,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.streams.open(auth, lastEventId, reply);
  }
}
