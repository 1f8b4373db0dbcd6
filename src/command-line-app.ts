import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app-config.js';
import { startEmbeddedPostgres } from './database/embedded-postgres.js';

/**
 * Runs `work` in the application (no HTTP server) on the instance's database, as the
 * command-line tools do: the embedded one (locked to this process) unless `DATABASE_URL` is
 * set. A tool adds nothing of its own accord: no busy evening of demo orders at start-up.
 * Closes the application and the embedded database afterwards, whatever happened.
 */
export async function withCommandLineApp<T>(
  config: AppConfig,
  work: (app: INestApplicationContext) => Promise<T>,
): Promise<T> {
  const embedded =
    config.database.url === undefined ? await startEmbeddedPostgres(config.dataDir) : undefined;
  try {
    const app = await NestFactory.createApplicationContext(
      AppModule.forRoot(
        { ...config, demoBusyEvening: false },
        {
          ...config.database,
          url: config.database.url ?? embedded?.url ?? '',
          embedded: embedded !== undefined,
        },
      ),
      { logger: ['error'] },
    );
    try {
      return await work(app);
    } finally {
      await app.close();
    }
  } finally {
    await embedded?.stop();
  }
}
