import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { PinoLogger } from 'nestjs-pino';
import { createApp } from './app.factory.js';
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
  const reason = error instanceof Error ? error.message : String(error);
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
let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
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
// Not once: Ctrl-C reaches the server from the terminal and again from npm (or the Nest CLI),
// and a second signal must not kill it before the database is closed.
process.on('SIGTERM', (signal) => void shutdown(signal));
process.on('SIGINT', (signal) => void shutdown(signal));
