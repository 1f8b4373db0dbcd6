import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { PinoLogger } from 'nestjs-pino';
import { createApp } from './app.factory.js';
import { describeThrown } from './common/errors/describe-thrown.js';
import { usePrettyLogs } from './common/logging.js';
import { type AppConfig, ConfigError, loadConfig } from './config/app-config.js';
import { DemoSeedService } from './demo/demo-seed.service.js';
import { startupSummary } from './startup-summary.js';

function fail(message: string): never {
  process.stderr.write(`taproom: ${message}\n`);
  process.exit(1);
}

function readConfig(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(`invalid configuration: ${error.message}`);
    throw error;
  }
}
const config = readConfig();

let taproom;
try {
  taproom = await createApp(config);
  await taproom.app.listen({ port: config.port, host: config.host });
} catch (error) {
  const reason = describeThrown(error);
  fail(`could not start: ${reason}`);
}

const running = taproom;

// Where to go: a block on a terminal, one line among the JSON logs otherwise.
const { port } = running.app.getHttpServer().address() as AddressInfo;
const summary = startupSummary(
  config,
  port,
  await running.app.get(DemoSeedService).activeAccounts(),
);
if (usePrettyLogs(config)) process.stdout.write(summary.text);
else PinoLogger.root.info(summary.fields, 'Taproom is ready');
/** When the first stop signal came; undefined while running. */
let stoppingSince: number | undefined;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stoppingSince !== undefined) {
    // Ctrl-C reaches the server from the terminal and again from npm (or the Nest CLI) at once;
    // only a signal sent later, by someone who will not wait, stops it before the database is
    // closed.
    if (Date.now() - stoppingSince < 1_000) return;
    process.stderr.write(`taproom: ${signal} received again, exiting now\n`);
    process.exit(1);
  }
  stoppingSince = Date.now();
  process.stderr.write(`taproom: ${signal} received, finishing in-flight requests\n`);
  const deadline = setTimeout(() => {
    process.stderr.write('taproom: shutdown took too long, exiting\n');
    process.exit(1);
  }, config.shutdownTimeoutSeconds * 1000);
  deadline.unref();
  try {
    await running.close();
    process.exit(0);
  } catch (error) {
    process.stderr.write(`taproom: error during shutdown: ${String(error)}\n`);
    process.exit(1);
  }
}
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.on(signal, (received) => void shutdown(received));
}
