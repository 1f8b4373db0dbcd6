/**
 * `npm start`'s build step: runs `npm run build` only when a source changed since the last
 * successful build (or something built is missing), else says the build is current. The sources
 * are hashed (content, not times, so a checkout or a copy that changes nothing builds nothing):
 * the server's and the apps' sources, their package and compiler files. The hash of the last
 * successful build is kept in `dist/.sources.sha256`.
 *
 * TAPROOM_BUILD_ROOT: the project to look at (default: the working directory).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.env.TAPROOM_BUILD_ROOT ?? process.cwd();
const STAMP = join(root, 'dist', '.sources.sha256');
/** What a build reads, besides the workspaces' own files. */
const ROOT_SOURCES = [
  'ormconfig.ts',
  'src',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'nest-cli.json',
];
/** Directories that hold outputs or installed packages, never sources. */
const NOT_SOURCES = new Set(['node_modules', 'dist', 'coverage', '.vite']);

/** The workspaces (`apps/*`, `packages/*`) of the root package.json that exist. */
function workspaces() {
  const { workspaces: patterns = [] } = JSON.parse(
    readFileSync(join(root, 'package.json'), 'utf8'),
  );
  return patterns.flatMap((pattern) => {
    const parent = pattern.replace(/\/\*$/, '');
    if (parent === pattern) return [pattern];
    const dir = join(root, parent);
    if (!existsSync(dir)) return [];
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${parent}/${entry.name}`);
  });
}

/**
 * `path` (relative to the root) if it is a file, else every file under it, sorted, outputs and
 * installed packages left out; nothing if it does not exist.
 */
function files(path) {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full, { withFileTypes: true })
    .filter((entry) => !NOT_SOURCES.has(entry.name))
    .map((entry) => entry.name)
    .sort()
    .flatMap((name) => files(`${path}/${name}`));
}

/** The hash of every source's path and content. */
function sourcesHash(packages) {
  const hash = createHash('sha256');
  for (const source of [...ROOT_SOURCES, ...packages]) {
    for (const file of files(source)) {
      hash.update(`${file}\0`);
      hash.update(readFileSync(join(root, file)));
      hash.update('\0');
    }
  }
  return hash.digest('hex');
}

/** What a build makes: the server's entry, and each app's page. */
function outputs(packages) {
  const apps = packages.filter((workspace) => workspace.startsWith('apps/'));
  return ['dist/src/main.js', ...apps.map((app) => `${app}/dist/index.html`)];
}

const packages = workspaces();
const current = sourcesHash(packages);
const built = existsSync(STAMP) ? readFileSync(STAMP, 'utf8').trim() : undefined;
const missing = outputs(packages).filter((output) => !existsSync(join(root, output)));
if (built === current && missing.length === 0) {
  process.stdout.write(
    'taproom: the build is current (no source changed since it); not building\n',
  );
  process.exit(0);
}
process.stdout.write(
  `taproom: building (${built === undefined ? 'no build yet' : built !== current ? 'sources changed since the last build' : `missing ${missing.join(', ')}`})\n`,
);
const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
writeFileSync(STAMP, `${current}\n`);
