/**
 * A Jest transform that serves a CommonJS package as an ES module, for `@nestjs/throttler`.
 *
 * Why: the registry's `@nestjs/throttler` is CommonJS and `require()`s `@nestjs/common`, which is
 * ESM-only since NestJS 12. Node ≥ 20.19 allows that at run time (the server runs it so); Jest's
 * module loader allows it only on Node ≥ 24.9. Compiling `@nestjs/common` to CommonJS for Jest
 * would give the tests a second copy of it (and of `@nestjs/core`), whose classes Nest's
 * dependency injection would not recognise. So the package is turned around instead: each of
 * its files becomes a module that `import`s what it `require()`s (the one copy every test
 * loads), runs its original code unchanged against those, and exports what it exported, named
 * as Node names a CommonJS module's exports (cjs-module-lexer, Node's own lexer). Jest loads a
 * `.js` file outside `"type": "module"` whose transformed code has ESM syntax as an ES module.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'cjs-module-lexer';

/** `require("…")` with a literal specifier, as TypeScript's CommonJS output writes them. */
const REQUIRE = /\brequire\(\s*(["'])([^"']+)\1\s*\)/g;

/** A relative specifier as an ES module import needs it: with its file's extension. */
function fileSpecifier(specifier, from) {
  if (!specifier.startsWith('.')) return specifier;
  const base = join(dirname(from), specifier);
  if (existsSync(`${base}.js`)) return `${specifier}.js`;
  if (existsSync(base) && statSync(base).isDirectory()) return `${specifier}/index.js`;
  return specifier;
}

/** @type {import('@jest/transform').SyncTransformer} */
export default {
  process(source, path) {
    const specifiers = [...new Set([...source.matchAll(REQUIRE)].map((match) => match[2]))];
    const { exports: names, reexports } = parse(source);
    const imports = specifiers.map(
      (specifier, index) =>
        `import * as __dependency${index} from ${JSON.stringify(fileSpecifier(specifier, path))};`,
    );
    const table = specifiers
      .map((specifier, index) => `[${JSON.stringify(specifier)}, __dependency${index}]`)
      .join(', ');
    const named = names.filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default');
    const code = [
      ...imports,
      `const __dependencies = new Map([${table}]);`,
      // A converted module hands require() the object its code filled, as CommonJS would.
      'const __require = (specifier) => {',
      '  const dependency = __dependencies.get(specifier);',
      '  if (dependency === undefined) throw new Error(`Cannot require ${specifier}`);',
      '  return dependency.__commonJsExports ?? dependency;',
      '};',
      'const __module = { exports: {} };',
      '(function (exports, require, module) {',
      source,
      '}).call(__module.exports, __module.exports, __require, __module);',
      'export const __commonJsExports = __module.exports;',
      'export default __module.exports;',
      ...named.map((name) => `export const ${name} = __module.exports.${name};`),
      ...reexports.map(
        (specifier) => `export * from ${JSON.stringify(fileSpecifier(specifier, path))};`,
      ),
    ].join('\n');
    return { code };
  },
};
