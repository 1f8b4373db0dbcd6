import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import Fastify from 'fastify';
import { type LoggerOptions, pino } from 'pino';
import { loadConfig } from '../config/app-config.js';
import {
  QuietStartLogger,
  loggableUrl,
  loggerParams,
  prettyMessage,
  registerRequestLogging,
  serializeError,
  usePrettyLogs,
} from './logging.js';

interface Line {
  level: number;
  msg: string;
  req?: { id: string; method: string; url: string };
  res?: { statusCode: number };
  responseTime?: number;
  body?: { password?: string; note?: string };
}

/** The application's logger as loggerParams configures it, writing into an array. */
function capture(): { logger: pino.Logger; lines: Line[] } {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    DATA_DIR: '/tmp/taproom-unit-never-written',
  });
  // pino-http's own option; pino itself does not know it.
  const options = { ...(loggerParams(config).pinoHttp as LoggerOptions) };
  delete (options as { wrapSerializers?: boolean }).wrapSerializers;
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Line);
      done();
    },
  });
  return { logger: pino(options, sink), lines };
}

async function app(logger: pino.Logger) {
  let requests = 0;
  const fastify = Fastify({ genReqId: () => `req-${++requests}` });
  registerRequestLogging(fastify, logger);
  fastify.get('/api/thing', async () => {
    await new Promise((resolve) => setImmediate(resolve));
    logger.info({ body: { password: 'hunter2-secret-value', note: 'kept' } }, 'inside');
    return { ok: true };
  });
  fastify.get('/api/health/live', () => ({ ok: true }));
  fastify.get('/api/broken', (_request, reply) => reply.code(503).send({}));
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  const address = fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const get = async (path: string): Promise<void> => {
    await (await fetch(`http://127.0.0.1:${port}${path}`)).text();
  };
  return { fastify, get };
}

describe('request logging', () => {
  it('puts the request on every line written while handling it, redacted as ever', async () => {
    const { logger, lines } = capture();
    const { fastify, get } = await app(logger);
    await get('/api/thing');
    logger.info('outside');
    await fastify.close();

    const inside = lines.find((line) => line.msg === 'inside');
    expect(inside?.req).toEqual({ id: 'req-1', method: 'GET', url: '/api/thing' });
    expect(inside?.body).toEqual({ password: '[redacted]', note: 'kept' });
    expect(JSON.stringify(lines)).not.toContain('hunter2-secret-value');
    expect(lines.find((line) => line.msg === 'outside')?.req).toBeUndefined();

    const done = lines.find((line) => line.msg === 'request completed');
    expect(done).toMatchObject({ level: 30, req: inside?.req, res: { statusCode: 200 } });
    expect(typeof done?.responseTime).toBe('number');
  });

  it('logs 4xx at warn, 5xx at error, and not the health checks', async () => {
    const { logger, lines } = capture();
    const { fastify, get } = await app(logger);
    await get('/api/nowhere');
    await get('/api/broken');
    await get('/api/health/live');
    await fastify.close();
    expect(lines.map((line) => [line.level, line.msg, line.req?.url])).toEqual([
      [40, 'request completed', '/api/nowhere'],
      [50, 'request errored', '/api/broken'],
    ]);
  });
});

describe('logs for people', () => {
  it('are pretty on a terminal outside production, JSON otherwise, unless LOG_FORMAT says', () => {
    const tty = { isTTY: true };
    const piped = { isTTY: false };
    const off = { logFormat: undefined, isProduction: false };
    expect(usePrettyLogs(off, tty)).toBe(true);
    expect(usePrettyLogs(off, piped)).toBe(false);
    expect(usePrettyLogs({ ...off, isProduction: true }, tty)).toBe(false);
    expect(usePrettyLogs({ ...off, logFormat: 'json' }, tty)).toBe(false);
    expect(usePrettyLogs({ ...off, logFormat: 'pretty' }, piped)).toBe(true);
    expect(usePrettyLogs({ logFormat: 'pretty', isProduction: true }, piped)).toBe(true);
  });

  it('read as one line each, redacted as the JSON lines are', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'pretty',
      DATA_DIR: '/tmp/taproom-unit-never-written',
    });
    let text = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    const params = loggerParams(config, sink).pinoHttp;
    if (!Array.isArray(params)) throw new Error('pretty logs are options and a stream');
    const options = { ...(params[0] as LoggerOptions) };
    delete (options as { wrapSerializers?: boolean }).wrapSerializers;
    const logger = pino(options, params[1]);
    const { fastify, get } = await app(logger);
    await get('/api/thing');
    logger.info({ context: 'Menu' }, 'menu changed');
    await fastify.close();
    const lines = stripVTControlCharacters(text).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^\[[\d:.]+\] INFO: inside \(request req-1\) \{"body":\{"password":"\[redacted\]","note":"kept"\}\}$/,
    );
    expect(lines[1]).toMatch(/^\[[\d:.]+\] INFO: GET \/api\/thing 200 \d+ ms$/);
    expect(lines[2]).toMatch(/^\[[\d:.]+\] INFO: Menu: menu changed$/);
    expect(text).not.toContain('hunter2-secret-value');
  });

  it('name the request or the context in the message', () => {
    expect(
      prettyMessage(
        {
          msg: 'request completed',
          req: { id: 'r', method: 'GET', url: '/x' },
          res: { statusCode: 404 },
          responseTime: 3,
        },
        'msg',
      ),
    ).toBe('GET /x 404 3 ms');
    expect(prettyMessage({ msg: 'hello', context: 'Seed' }, 'msg')).toBe('Seed: hello');
    expect(prettyMessage({ msg: 'plain' }, 'msg')).toBe('plain');
  });

  it("put Nest's start-up chatter at debug and leave everything else as it is", () => {
    const calls: [string, unknown[]][] = [];
    const inner = {
      log: (...args: unknown[]) => calls.push(['log', args]),
      error: (...args: unknown[]) => calls.push(['error', args]),
      warn: (...args: unknown[]) => calls.push(['warn', args]),
      debug: (...args: unknown[]) => calls.push(['debug', args]),
    };
    const logger = new QuietStartLogger(inner);
    logger.log('Mapped {/api/menu, GET} route', 'RouterExplorer');
    logger.log('AppModule dependencies initialized', 'InstanceLoader');
    logger.log('Applied migrations: X', 'Database');
    logger.warn('careful', 'RouterExplorer');
    expect(calls).toEqual([
      ['debug', ['Mapped {/api/menu, GET} route', 'RouterExplorer']],
      ['debug', ['AppModule dependencies initialized', 'InstanceLoader']],
      ['log', ['Applied migrations: X', 'Database']],
      ['warn', ['careful', 'RouterExplorer']],
    ]);
  });
});

describe('what may be logged', () => {
  it('redacts the values of query parameters that could carry a secret, and keeps the rest', () => {
    expect(loggableUrl('/api/events')).toBe('/api/events');
    expect(loggableUrl('/api/orders?status=ready&page=2')).toBe('/api/orders?status=ready&page=2');
    expect(loggableUrl('/api/events?access_token=abc.x.y&page=1')).toBe(
      '/api/events?access_token=[redacted]&page=1',
    );
    expect(loggableUrl('/x?Password=hunter2&refreshToken=a&refreshToken=b')).not.toMatch(
      /hunter2|=a|=b/,
    );
    // Other names of secrets, an encoded name, and ";" as a separator.
    for (const url of [
      '/x?pwd=hunter2',
      '/x?jwt=hunter2',
      '/x?bearer=hunter2',
      '/x?credentials=hunter2',
      '/x?sig=hunter2',
      '/x?%70assword=hunter2',
      '/x?page=1;password=hunter2',
      // The router reads a query from the first "?" or "#", and a value up to "&" or ";".
      '/api/menu#token=hunter2',
      '/api/menu?token=#hunter2',
      '/api/menu?access_token=abc#hunter2',
      '/x?bad=%zz&password=hunter2',
    ]) {
      expect(loggableUrl(url)).not.toContain('hunter2');
    }
  });

  it('redacts anything shaped like a token, under any name or in the path', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    const refresh =
      '0b6f6c1e-2f0e-4d6a-9a55-5b1f2ab1c3d4.7.Qm9ndXMtbWFjLXRoYXQtaXMtbG9uZy1lbm91Z2g';
    for (const url of [
      `/api/events?x=${jwt}`,
      `/api/events?x=${jwt.replace(/\./g, '%2E')}`,
      `/api/whatever/${jwt}`,
      `/api/auth/refresh?r=${refresh}`,
      `/api/auth/refresh/${refresh}`,
    ]) {
      const logged = loggableUrl(url);
      expect(logged).not.toContain('c2lnbmF0dXJl');
      expect(logged).not.toContain('Qm9ndXMt');
      expect(logged).toContain('[redacted]');
    }
    // Any letter escaped, or escaped twice.
    expect(loggableUrl(`/api/x/${jwt.replace('eyJ', '%65yJ').replace('c2ln', '%63%32ln')}`)).toBe(
      '/api/x/[redacted]',
    );
    expect(loggableUrl(`/api/x?t=${jwt.replace(/\./g, '%252E')}`)).toBe('/api/x?t=[redacted]');
    // A table's QR token, in the customer app's link or the API's lookup.
    const tableToken = '3q2-7wFh0cJ9r0yXg8mE1kQJb3o5vC1nS7aZ8dW4eR0';
    expect(loggableUrl(`/t/${tableToken}`)).toBe('/t/[redacted]');
    expect(loggableUrl(`/api/tables/${tableToken}`)).toBe('/api/tables/[redacted]');
    // An API token (`tap_` + 32 bytes), which an integration may put in a URL by mistake.
    const apiToken = `tap_${tableToken}`;
    expect(loggableUrl(`/api/orders?t=${apiToken}`)).toBe('/api/orders?t=[redacted]');
    expect(loggableUrl(`/api/x/${apiToken}`)).toBe('/api/x/[redacted]');
    // An order id alone is not a token.
    const id = '0b6f6c1e-2f0e-4d6a-9a55-5b1f2ab1c3d4';
    expect(loggableUrl(`/api/orders/${id}?status=ready`)).toBe(`/api/orders/${id}?status=ready`);
  });

  it('logs a failed query without its parameters', () => {
    const failure = Object.assign(new Error('duplicate key'), {
      query: 'INSERT INTO users (password_hash) VALUES ($1)',
      parameters: ['$argon2id$v=19$secret-hash'],
      driverError: { code: '23505', parameters: ['$argon2id$v=19$secret-hash'] },
    });
    const logged = JSON.stringify(serializeError(failure));
    expect(logged).not.toContain('secret-hash');
    expect(logged).toContain('INSERT INTO users');
    expect(logged).toContain('23505');
  });
});
