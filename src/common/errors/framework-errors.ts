import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, defaultMessageOf, statusOf } from './error-code.js';
import { toErrorResponse } from './error-response.js';

/**
 * Errors Fastify answers before a route (and so before the exception filter) runs, such as a path
 * with a broken percent-encoding: answered in the contract's format like every other error.
 */
export function answerFrameworkError(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const { body, headers } = toErrorResponse(error);
  void reply.headers(headers).header('cache-control', 'no-store').code(body.statusCode).send(body);
}

/**
 * Requests Node's HTTP parser refuses (headers over its size limit, bytes that are not HTTP):
 * the socket gets one contract error, then closes, as Fastify's default handler does.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const code = ErrorCode.VALIDATION_FAILED;
    const message =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? 'The request headers are too large.'
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? 'The request took too long to arrive.'
          : defaultMessageOf(code);
    const body = JSON.stringify({ statusCode: statusOf(code), code, message });
    socket.write(
      `HTTP/1.1 ${String(statusOf(code))} Bad Request\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${String(Buffer.byteLength(body))}\r\nCache-Control: no-store\r\n` +
        `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
