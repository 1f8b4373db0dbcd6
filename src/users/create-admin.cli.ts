/**
 * Creates an admin account, for the first admin of a production deployment:
 *   node dist/src/users/create-admin.cli.js <email> <name>
 * The password is read from TAPROOM_ADMIN_PASSWORD or, when unset, from standard input.
 * Uses the instance's own configuration (DATABASE_URL, ...). With the embedded database, stop the
 * server first: the embedded database serves one process.
 */
import 'reflect-metadata';
import { createInterface } from 'node:readline/promises';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { assertAcceptablePassword } from '../auth/password-policy.js';
import { AppError } from '../common/errors/app-error.js';
import { loadConfig } from '../config/app-config.js';
import { describeThrown } from '../common/errors/describe-thrown.js';
import { startEmbeddedPostgres } from '../database/embedded-postgres.js';
import { accountEmailProblem } from './dto/account-email.js';
import { UsersService } from './users.service.js';

async function readPassword(): Promise<string> {
  const fromEnv = process.env.TAPROOM_ADMIN_PASSWORD;
  if (fromEnv) return fromEnv;
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await prompt.question('Password (at least 15 characters): ');
  } finally {
    prompt.close();
  }
}

async function main(): Promise<void> {
  const [email, name] = process.argv.slice(2);
  if (!email || !name) throw new Error('usage: create-admin.cli.js <email> <name>');
  // The rules of every other way an account is made (sign-up, an admin's form).
  const problem = accountEmailProblem(email);
  if (problem) throw new Error(problem);
  const password = await readPassword();
  assertAcceptablePassword(password, 'admin');

  const config = loadConfig();
  const embedded =
    config.database.url === undefined ? await startEmbeddedPostgres(config.dataDir) : undefined;
  const app = await NestFactory.createApplicationContext(
    // Creating an admin adds nothing else: no busy evening of demo orders.
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
    const user = await app.get(UsersService).create({ email, name, role: 'admin', password });
    process.stdout.write(`Created admin ${user.email} (${user.id})\n`);
  } finally {
    await app.close();
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  const message =
    error instanceof AppError || error instanceof Error ? error.message : describeThrown(error);
  process.stderr.write(`create-admin: ${message}\n`);
  process.exit(1);
});
