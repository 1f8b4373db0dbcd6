/**
 * `npm run bench` runs every benchmark; `npm run bench -- auth` runs one. Each prints its figures
 * as ratios to a baseline measured in the same run.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCHMARKS = ['auth', 'orders', 'events', 'exports', 'seed-year', 'lists'];
const here = dirname(fileURLToPath(import.meta.url));
const chosen = process.argv.slice(2).filter((name) => !name.startsWith('-'));
const unknown = chosen.filter((name) => !BENCHMARKS.includes(name));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.join(', ')}\n`,
  );
  process.exit(2);
}
let failed = false;
for (const name of chosen.length > 0 ? chosen : BENCHMARKS) {
  process.stdout.write(`\n# ${name}\n`);
  const result = spawnSync(process.execPath, [join(here, `${name}.js`)], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
