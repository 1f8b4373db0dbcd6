/**
 * `npm ci`'s prepare step: points git at .husky/ (the pre-commit and commit-msg hooks). Without
 * dev dependencies (`npm ci --omit=dev`, a production image) husky is not installed and there is
 * nothing to do; outside a git checkout husky says so and does nothing.
 */
let husky;
try {
  ({ default: husky } = await import('husky'));
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND') process.exit(0);
  throw error;
}
const message = husky();
if (message) process.stdout.write(`husky: ${message}\n`);
