import { AsyncLocalStorage } from 'node:async_hooks';
import type { LoggerService } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Params } from 'nestjs-pino';
import { type Level, type Logger, stdSerializers } from 'pino';
import pinoPretty from 'pino-pretty';
import type { AppConfig } from '../config/app-config.js';

/** Paths that must never reach a log line: credentials, tokens and cookies. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.passwordHash',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
  '*.secret',
];

/** Query parameters whose values never reach a log line (a token sent in a URL, say). */
const SECRET_QUERY_PARAMETER =
  /token|pass|pwd|secret|key|code|session|auth|jwt|bearer|credential|sig|otp/i;

/**
 * Whole pieces of text shaped like a credential: a JWT (`eyJ…` header, payload, signature) and
 * a refresh token (`<session>.<n>.<mac>`). Anchored, with character classes that exclude the
 * separator, so a check takes time linear in the piece.
 */
const JWT_SHAPED = /^eyJ[\w-]*\.[\w-]+\.[\w-]*$/;
const REFRESH_TOKEN_SHAPED = /^[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\.\d+\.[\w-]{20,}$/i;
/** 32 random bytes in base64url, as a table's QR token (`/t/<token>`, `/api/tables/<token>`). */
const BYTES32_SHAPED = /^[\w-]{43}$/;
/** An API token: `tap_` and 32 random bytes in base64url. */
const API_TOKEN_SHAPED = /^tap_[\w-]{43}$/;

/**
 * Text with its percent-escapes decoded byte by byte, also twice or thrice encoded: enough to
 * see a credential (ASCII) however it was escaped, and never an error on a malformed escape.
 */
function decoded(raw: string): string {
  let text = raw;
  for (let round = 0; round < 3 && text.includes('%'); round++) {
    text = text.replace(/%([0-9a-f]{2})/gi, (_escape, hex: string) =>
      String.fromCharCode(parseInt(hex, 16)),
    );
  }
  return text;
}

/** Whether decoded text holds a credential-shaped piece anywhere. */
function holdsCredential(raw: string): boolean {
  return decoded(raw.replace(/\+/g, ' '))
    .split(/[^\w.-]+/)
    .some(
      (piece) =>
        JWT_SHAPED.test(piece) ||
        REFRESH_TOKEN_SHAPED.test(piece) ||
        BYTES32_SHAPED.test(piece) ||
        API_TOKEN_SHAPED.test(piece),
    );
}

/**
 * The URL as it may be logged: a path segment or query parameter holding anything shaped like
 * a token is replaced, and so is the value of any query parameter whose name suggests a secret.
 * The query starts at the first `?` or `#` (as Fastify's router reads it) and its parameters are
 * separated by `&` or `;`. Linear in the URL's length: it runs on every request, before any
 * limit. (Access tokens are refused in URLs, but a client may still send one.)
 */
export function loggableUrl(url: string): string {
  const start = url.search(/[?#]/);
  const path = start < 0 ? url : url.slice(0, start);
  const loggedPath = path
    .split('/')
    .map((segment) => (holdsCredential(segment) ? '[redacted]' : segment))
    .join('/');
  if (start < 0) return loggedPath;
  const query = url
    .slice(start + 1)
    .split(/([&;])/)
    .map((part, index) => {
      // Odd parts are the separators.
      if (index % 2 === 1 || part === '') return part;
      const equals = part.indexOf('=');
      const name = equals < 0 ? part : part.slice(0, equals);
      const secret = SECRET_QUERY_PARAMETER.test(decoded(name)) || holdsCredential(part);
      if (!secret) return part;
      return equals < 0 ? '[redacted]' : `${name}=[redacted]`;
    })
    .join('');
  return `${loggedPath}${url.charAt(start)}${query}`;
}

/**
 * Errors as logged: pino's standard serializer, without a failed query's parameters (TypeORM
 * puts them on its errors: names, notes, keys, a password hash being stored).
 */
export function serializeError(error: Error): Record<string, unknown> {
  const serialized = stdSerializers.err(error) as unknown as Record<string, unknown>;
  if ('parameters' in serialized) serialized.parameters = '[redacted]';
  const driver = serialized.driverError;
  if (typeof driver === 'object' && driver !== null && 'parameters' in driver) {
    serialized.driverError = { ...driver, parameters: '[redacted]' };
  }
  return serialized;
}

/** What a log line says about its request. */
interface RequestFields {
  id: string;
  method: string;
  url: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** What its log lines say about the request (null before `onRequest`). */
    logFields: RequestFields | null;
  }
}

/** The request being handled, for the log lines written while handling it. */
const currentRequest = new AsyncLocalStorage<RequestFields>();

/**
 * Whether logs are for people (pino-pretty: one coloured line each) rather than JSON lines:
 * `LOG_FORMAT` when set, else on a terminal outside production.
 */
export function usePrettyLogs(
  config: Pick<AppConfig, 'logFormat' | 'isProduction'>,
  stdout: { readonly isTTY?: boolean } = process.stdout,
): boolean {
  if (config.logFormat !== undefined) return config.logFormat === 'pretty';
  return stdout.isTTY === true && !config.isProduction;
}

/**
 * Logs with the request id on every line of a request: JSON lines, or one readable line each
 * ({@link usePrettyLogs}), redacted alike. nestjs-pino owns the one pino logger (Nest's `Logger`
 * writes through it); its pino-http middleware is not mounted (`forRoutes: []`):
 * {@link registerRequestLogging} does its work in two Fastify hooks instead, and a `mixin` adds
 * the request's fields to every line written while handling it, so no child logger is made per
 * request.
 */
export function loggerParams(
  config: AppConfig,
  destination: NodeJS.WritableStream = process.stdout,
): Params {
  const options = {
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    mixin: () => {
      const req = currentRequest.getStore();
      return req === undefined ? {} : { req };
    },
    wrapSerializers: false,
    serializers: { err: serializeError },
  };
  return {
    // To standard output, synchronously (pino's default, and pino-pretty's `sync`): no line is
    // lost when the process ends.
    pinoHttp: usePrettyLogs(config)
      ? [
          options,
          pinoPretty({
            sync: true,
            destination,
            colorize: true,
            singleLine: true,
            translateTime: 'SYS:HH:MM:ss.l',
            ignore: 'pid,hostname,context,req,res,responseTime',
            messageFormat: prettyMessage,
          }),
        ]
      : options,
    forRoutes: [],
  };
}

/** The fields of a log line {@link prettyMessage} reads. */
interface LineFields {
  readonly context?: unknown;
  readonly req?: { readonly id?: unknown; readonly method?: unknown; readonly url?: unknown };
  readonly res?: { readonly statusCode?: unknown };
  readonly responseTime?: unknown;
}

/** A field's value as text: strings and numbers as they are, anything else as JSON. */
function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number'
    ? String(value)
    : JSON.stringify(value);
}

/**
 * A line for people: `GET /api/menu 200 3 ms` for a request, `Context: message` otherwise, with
 * the request's id when the line was written while handling one. (The other fields follow as
 * JSON; these are left out.)
 */
export function prettyMessage(line: Record<string, unknown>, messageKey: string): string {
  const { context, req, res, responseTime } = line as LineFields;
  const message = line[messageKey] === undefined ? '' : text(line[messageKey]);
  if (res?.statusCode !== undefined && req !== undefined) {
    return `${text(req.method)} ${text(req.url)} ${text(res.statusCode)} ${text(responseTime)} ms`;
  }
  const prefix = typeof context === 'string' ? `${context}: ` : '';
  const id = req?.id === undefined ? '' : ` (request ${text(req.id)})`;
  return `${prefix}${message}${id}`;
}

/** Nest's start-up chatter: a line per module, controller and route. */
const FRAMEWORK_CONTEXTS = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'NestApplication',
]);

/**
 * Nest's logger for the app, with the framework's start-up chatter (a line per module and per
 * route, 130 of them) at `debug` instead of `info`; everything else as it is.
 */
export class QuietStartLogger implements LoggerService {
  constructor(private readonly inner: LoggerService) {}

  log(message: unknown, ...rest: unknown[]): void {
    const context = rest.at(-1);
    if (typeof context === 'string' && FRAMEWORK_CONTEXTS.has(context)) {
      this.inner.debug?.(message, ...rest);
    } else {
      this.inner.log(message, ...rest);
    }
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.inner.error(message, ...rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.inner.warn(message, ...rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.inner.debug?.(message, ...rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.inner.verbose?.(message, ...rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.inner.fatal?.(message, ...rest);
  }
}

/** The level of a request's line: error for 5xx, warn for 4xx, else info. */
function levelOfStatus(statusCode: number): Level {
  return statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warn' : 'info';
}

/** Health checks are polled all the time: they are not logged. */
function isLoggedRequest(url: string): boolean {
  return !url.startsWith('/api/health');
}

/**
 * Per request: the lines written while handling it carry its fields (`req.id`, `req.method`,
 * `req.url`), and once the response is sent one line says how it went (`res.statusCode`,
 * `responseTime`). Register it before any other `onRequest` hook, so that everything after runs
 * in the request's context. `root` is the application's logger (nestjs-pino's `PinoLogger.root`).
 */
export function registerRequestLogging(fastify: FastifyInstance, root: Logger): void {
  // That line is made of these fields only, none of them a redacted path: it skips the
  // redaction pass (a deep copy of each line), which every other line still goes through.
  const requestLines = root.child({}, { redact: [] });
  // The request's fields, made once when it comes in and reused for its completion line.
  fastify.decorateRequest('logFields', null);
  fastify.addHook('onRequest', (request, _reply, done) => {
    const fields = { id: request.id, method: request.method, url: loggableUrl(request.url) };
    request.logFields = fields;
    currentRequest.run(fields, done);
  });
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    if (isLoggedRequest(request.url)) {
      const statusCode = reply.statusCode;
      requestLines[levelOfStatus(statusCode)](
        {
          req: request.logFields ?? {
            id: request.id,
            method: request.method,
            url: loggableUrl(request.url),
          },
          res: { statusCode },
          responseTime: Math.round(reply.elapsedTime),
        },
        statusCode >= 500 ? 'request errored' : 'request completed',
      );
    }
    done();
  });
}
