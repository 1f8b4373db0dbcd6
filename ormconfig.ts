/**
 * The TypeORM DataSource for the migration CLI (`npm run migration:run`), with the app's own
 * options. Without DATABASE_URL it opens the embedded database under DATA_DIR, as the app does;
 * stop the app first, since the embedded database serves one process.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './src/config/app-config.js';
import { dataSourceOptions } from './src/database/data-source-options.js';
import { startEmbeddedPostgres } from './src/database/embedded-postgres.js';

const config = loadConfig();
const embedded =
  config.database.url === undefined ? await startEmbeddedPostgres(config.dataDir) : undefined;

const dataSource = new DataSource(
  dataSourceOptions({
    ...config.database,
    url: config.database.url ?? embedded?.url ?? '',
    embedded: embedded !== undefined,
  }),
);

// The CLI destroys the DataSource when done; the embedded server must stop with it.
const destroy = dataSource.destroy.bind(dataSource);
dataSource.destroy = async () => {
  await destroy();
  await embedded?.stop();
};

export default dataSource;
