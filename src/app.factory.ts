import fastifyCookie from '@fastify/cookie';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { declareAuthRequestFields } from './auth/auth-request-fields.js';
import { answerClientError, answerFrameworkError } from './common/errors/framework-errors.js';
import { QuietStartLogger, registerRequestLogging } from './common/logging.js';
import { setupOpenApi } from './common/openapi/openapi.js';
import { requestIdOf } from './common/request-id.js';
import { type SecurityHeaders, registerSecurityHeaders } from './common/security-headers.js';
import { trackSilentConnections } from './common/silent-connections.js';
import type { AppConfig } from './config/app-config.js';
import type { DatabaseTarget } from './database/data-source-options.js';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './database/embedded-postgres.js';
import { HealthService } from './health/health.service.js';
import { registerSpaHosting } from './web/spa-hosting.js';

const BODY_LIMIT_BYTES = 100 * 1024;

export interface TaproomApp {
  readonly app: NestFastifyApplication;
  /** Marks the instance not ready, closes the server after in-flight requests, then the database. */
  close(): Promise<void>;
}

export interface CreateAppOptions {
  /** Use this database instead of the configured one (tests bring their own). */
  readonly database?: DatabaseTarget;
  /** Extra modules to mount (tests add probe routes). */
  readonly imports?: DynamicModule['imports'];
}

/** A hop count becomes proxy-addr's own rule for it: trust the first `hops` addresses. */
function trustProxyOption(
  trust: AppConfig['trustProxy'],
): string[] | boolean | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}

function registerHttpBasics(fastify: FastifyInstance, isClosing: () => boolean): void {
  // JSON is the only body the API takes: a cross-site form (urlencoded, multipart, text/plain)
  // cannot reach a handler.
  fastify.removeContentTypeParser(['text/plain']);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    // `/api`, `/api/…` and `/api?…` (no allocation: this runs on every request).
    const url = request.url;
    if (url.startsWith('/api') && (url.length === 4 || url[4] === '/' || url[4] === '?')) {
      void reply.header('cache-control', 'no-store');
    }
    done();
  });
  // Responses that finish during shutdown close their keep-alive connection, so the server can
  // stop as soon as the last in-flight request is answered.
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (isClosing()) void reply.header('connection', 'close');
    done(null, payload);
  });
}

/** Creates the whole application: database (embedded when no URL), Nest on Fastify, web hosting. */
export async function createApp(
  config: AppConfig,
  options: CreateAppOptions = {},
): Promise<TaproomApp> {
  let embedded: EmbeddedPostgres | undefined;
  let database = options.database;
  if (!database) {
    if (config.database.url === undefined) embedded = await startEmbeddedPostgres(config.dataDir);
    database = {
      ...config.database,
      url: config.database.url ?? embedded?.url ?? '',
      embedded: embedded !== undefined,
    };
  }

  let securityHeaders: SecurityHeaders | undefined;
  try {
    const adapter = new FastifyAdapter({
      bodyLimit: BODY_LIMIT_BYTES,
      trustProxy: trustProxyOption(config.trustProxy),
      genReqId: requestIdOf,
      requestIdHeader: false,
      return503OnClosing: true,
      forceCloseConnections: 'idle',
      // Errors Fastify answers before routing skip the onRequest hooks: add the headers here.
      frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
        if (securityHeaders === undefined) {
          answerFrameworkError(error, request, reply);
          return;
        }
        securityHeaders(request.raw, reply.raw, () => {
          answerFrameworkError(error, request, reply);
        });
      },
      clientErrorHandler: answerClientError,
    });
    const app = await NestFactory.create<NestFastifyApplication>(
      AppModule.forRoot(config, database, options.imports),
      adapter,
      {
        bufferLogs: true,
        // A failed start-up prints one line from main.ts, not Nest's buffered logs and stacks.
        autoFlushLogs: false,
        bodyParser: false,
        abortOnError: false,
      },
    );
    app.useLogger(new QuietStartLogger(app.get(Logger)));
    app.flushLogs();
    app.setGlobalPrefix('api');
    if (config.corsOrigins.length > 0) {
      app.enableCors({ origin: [...config.corsOrigins], credentials: true, maxAge: 600 });
    }
    const fastify = app.getHttpAdapter().getInstance();
    const silentConnections = trackSilentConnections(fastify.server);
    fastify.addHook('preClose', (done) => {
      silentConnections.destroyAll();
      done();
    });
    registerRequestLogging(fastify, PinoLogger.root);
    declareAuthRequestFields(fastify);
    let closing = false;
    registerHttpBasics(fastify, () => closing);
    securityHeaders = registerSecurityHeaders(fastify, config);
    await app.register(fastifyCookie);
    await registerSpaHosting(fastify, config.webRoot);
    setupOpenApi(app);
    await app.init();

    const health = app.get(HealthService);
    return {
      app,
      async close() {
        closing = true;
        health.markShuttingDown();
        await app.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}
