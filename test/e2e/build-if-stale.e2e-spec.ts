import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const SCRIPT = resolve('scripts/build-if-stale.mjs');

/**
 * A project shaped like Taproom (a server's `src`, an app workspace) whose `npm run build`
 * empties `dist` as `nest build` does, writes the outputs, and counts its runs; it fails while a
 * file named `FAIL` exists.
 */
function project(): {
  dir: string;
  write: (path: string, text: string) => void;
  builds: () => number;
} {
  const dir = mkdtempSync(join(tmpdir(), 'taproom-build-if-stale-'));
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write(
    'package.json',
    JSON.stringify({ name: 'fake', scripts: { build: 'node build.mjs' }, workspaces: ['apps/*'] }),
  );
  write(
    'build.mjs',
    [
      "import { appendFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';",
      "if (existsSync('FAIL')) process.exit(3);",
      "rmSync('dist', { recursive: true, force: true });",
      "mkdirSync('dist/src', { recursive: true });",
      "writeFileSync('dist/src/main.js', '');",
      "mkdirSync('apps/one/dist', { recursive: true });",
      "writeFileSync('apps/one/dist/index.html', '');",
      "appendFileSync('builds.log', 'built\\n');",
    ].join('\n'),
  );
  write('src/main.ts', 'export const a = 1;\n');
  write('apps/one/package.json', '{"name":"one"}');
  write('apps/one/src/app.tsx', 'export const b = 1;\n');
  const builds = (): number => {
    try {
      return readFileSync(join(dir, 'builds.log'), 'utf8').split('\n').filter(Boolean).length;
    } catch {
      return 0;
    }
  };
  return { dir, write, builds };
}

function run(dir: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [SCRIPT], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', TAPROOM_BUILD_ROOT: dir },
    encoding: 'utf8',
  });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe('npm start builds only what changed (scripts/build-if-stale.mjs)', () => {
  it('builds the first time, then only when a source changes or an output is missing', () => {
    const { dir, write, builds } = project();
    expect(run(dir).output).toContain('taproom: building (no build yet)');
    expect(builds()).toBe(1);

    const again = run(dir);
    expect(again).toEqual({
      status: 0,
      output: 'taproom: the build is current (no source changed since it); not building\n',
    });
    expect(builds()).toBe(1);

    // Content counts, not times; outputs and installed packages are not sources.
    utimesSync(join(dir, 'src/main.ts'), new Date(), new Date(Date.now() + 60_000));
    write('apps/one/node_modules/dep/index.js', 'changed');
    write('apps/one/dist/extra.js', 'changed');
    expect(run(dir).status).toBe(0);
    expect(builds()).toBe(1);

    write('apps/one/src/app.tsx', 'export const b = 2;\n');
    expect(run(dir).output).toContain('taproom: building (sources changed since the last build)');
    expect(builds()).toBe(2);

    rmSync(join(dir, 'apps/one/dist/index.html'));
    expect(run(dir).output).toContain('taproom: building (missing apps/one/dist/index.html)');
    expect(builds()).toBe(3);
    expect(run(dir).status).toBe(0);
    expect(builds()).toBe(3);
  });

  it('stops with the build’s exit code when it fails, and builds again next time', () => {
    const { dir, write, builds } = project();
    expect(run(dir).status).toBe(0);
    write('src/main.ts', 'export const a = 2;\n');
    write('FAIL', '');
    expect(run(dir).status).toBe(3);
    rmSync(join(dir, 'FAIL'));
    expect(run(dir).output).toContain('taproom: building (');
    expect(builds()).toBe(2);
  });
});
