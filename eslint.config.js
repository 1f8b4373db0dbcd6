import { existsSync, readdirSync } from 'node:fs';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const BACKEND_MODULES = [
  'users',
  'auth',
  'sessions',
  'menu',
  'orders',
  'audit',
  'events',
  'health',
  'tables',
];

/** The feature folders of one SPA (`apps/<app>/src/features/*`). */
function featuresOf(app) {
  const dir = `apps/${app}/src/features`;
  return existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
    : [];
}

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      'dist-bench/**',
      'dist-dev/**',
      '**/node_modules/**',
      'data/**',
      'coverage/**',
      'test-artifacts/**',
      // Written by npm run api:types (see test/e2e/api-types.e2e-spec.ts).
      'packages/web-core/src/api/generated/**',
    ],
  },
  js.configs.recommended,
  {
    // import-x resolves imports as TypeScript does (`./x.js` is `./x.ts`, the apps' `@/`
    // aliases), or its path rules below would match nothing.
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['tsconfig.json', 'apps/*/tsconfig.json', 'packages/*/tsconfig.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
  },
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        // Lets consistent-type-imports keep classes that Nest injects by their decorator metadata.
        emitDecoratorMetadata: true,
        experimentalDecorators: true,
      },
      globals: { ...globals.node },
    },
    plugins: { 'import-x': importX },
    rules: {
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Nest modules and DTOs are classes with decorators and no members of their own.
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
      // Response DTO classes describe JSON for OpenAPI; handlers return plain objects of that shape.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // A module's tables belong to it: others go through its exported service.
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: BACKEND_MODULES.map((module) => ({
            target: `./src/!(${module})/**/*`,
            from: `./src/${module}/entities`,
            message: `Use the ${module} module's service, not its entities or repositories.`,
          })),
        },
      ],
    },
  },
  {
    // Tests talk to the API; assertions on loosely typed JSON are fine there.
    files: ['test/**/*.ts', '**/*.spec.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The SPAs and what they share run in the browser, with React's hook rules.
    files: ['apps/*/src/**/*.{ts,tsx}', 'packages/*/src/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat['recommended-latest'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // bulletproof-react: shared code → features → app; a feature never imports another feature.
    files: ['apps/*/src/**/*.{ts,tsx}'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: ['customer', 'bartender', 'admin'].flatMap((app) => [
            ...featuresOf(app).map((feature) => ({
              target: `./apps/${app}/src/features/${feature}`,
              from: `./apps/${app}/src/features`,
              except: [`./${feature}`],
              message: 'Features do not import each other: compose them in src/app.',
            })),
            {
              target: [`./apps/${app}/src/components/**/*`, `./apps/${app}/src/lib/**/*`],
              from: [`./apps/${app}/src/features`, `./apps/${app}/src/app`],
              message: 'Shared code does not import features or the app.',
            },
          ]),
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Service workers run in their own global scope (self, clients, caches).
    files: ['apps/*/public/sw.js'],
    languageOptions: { globals: { ...globals.serviceworker } },
  },
  prettier,
);
