import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { loggableUrl } from '../logging.js';
import { toErrorResponse } from './error-response.js';

/** The one place where anything thrown becomes an HTTP error response in the contract's format. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const { body, headers, unexpected } = toErrorResponse(exception);
    if (unexpected) {
      this.logger.error(
        {
          err: exception,
          reqId: request.id,
          method: request.method,
          url: loggableUrl(request.url),
        },
        'Unhandled error',
      );
    }
    if (reply.sent) return;
    void reply.headers(headers).code(body.statusCode).send(body);
  }
}
