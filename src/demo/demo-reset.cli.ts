/**
 * `npm run demo:reset [-- --busy-evening]`: puts the demo accounts and the demo menu back as
 * they were seeded, and with `--busy-evening` adds a busy evening's orders in every state.
 * Refuses in production and where there is no demo data. Uses the instance's configuration;
 * with the embedded database, stop the server first (the embedded database serves one process).
 */
import 'reflect-metadata';
import { withCommandLineApp } from '../command-line-app.js';
import { describeThrown } from '../common/errors/describe-thrown.js';
import { loadConfig } from '../config/app-config.js';
import { DemoSeedService } from './demo-seed.service.js';

const USAGE = 'usage: demo-reset.cli.js [--busy-evening]';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((arg) => arg !== '--busy-evening');
  if (unknown.length > 0) throw new Error(`unknown option ${unknown.join(' ')} (${USAGE})`);
  const config = loadConfig();
  if (config.isProduction) throw new Error('refusing to touch demo data in production');
  if (!config.seedDemo) {
    throw new Error('this database has no demo data: use the embedded one, or SEED_DEMO=true');
  }
  // The reset itself decides whether to add the evening.
  await withCommandLineApp(config, async (app) => {
    const reset = await app.get(DemoSeedService).reset({
      busyEvening: args.includes('--busy-evening'),
    });
    process.stdout.write(
      [
        `Demo accounts restored: ${reset.accountsRestored} (their sessions ended), created: ${reset.accountsCreated}`,
        `Demo menu items restored: ${reset.menuItemsRestored}, created: ${reset.menuItemsCreated}; other items, accounts and orders are as they were`,
        ...(reset.busyEvening === undefined
          ? []
          : typeof reset.busyEvening === 'number'
            ? [`Busy evening: ${reset.busyEvening} orders placed`]
            : [`Busy evening ${reset.busyEvening}: complete or cancel them first`]),
        '',
      ].join('\n'),
    );
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`demo:reset: ${describeThrown(error)}\n`);
  process.exit(1);
});
