/**
 * Creates an admin account, for the first admin of a production deployment:
 *   node dist/src/users/create-admin.cli.js <email> <name>
 * The password is read from TAPROOM_ADMIN_PASSWORD or, when unset, from standard input.
 * Uses the instance's own configuration (DATABASE_URL, ...). With the embedded database, stop the
 * server first: the embedded database serves one process.
 */
import 'reflect-metadata';
import { createInterface } from 'node:readline/promises';
import { withCommandLineApp } from '../command-line-app.js';
import { assertAcceptablePassword } from '../auth/password-policy.js';
import { loadConfig } from '../config/app-config.js';
import { describeThrown } from '../common/errors/describe-thrown.js';
import { accountEmailProblem } from './dto/account-email.js';
import { personNameProblem, storedPersonName } from './dto/person-name.js';
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
  const problem = accountEmailProblem(email) ?? personNameProblem(name);
  if (problem) throw new Error(problem);
  const password = await readPassword();
  assertAcceptablePassword(password, 'admin');

  const config = loadConfig();
  await withCommandLineApp(config, async (app) => {
    const user = await app
      .get(UsersService)
      .create({ email, name: storedPersonName(name), role: 'admin', password });
    process.stdout.write(`Created admin ${user.email} (${user.id})\n`);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`create-admin: ${describeThrown(error)}\n`);
  process.exit(1);
});
