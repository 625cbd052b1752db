import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/__fixtures__/**', '.nx/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs', '**/*.mts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      // The architecture as a lint error: libs/checks stays framework-free, apps never import each other.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'scope:checks', onlyDependOnLibsWithTags: ['scope:checks'],
              bannedExternalImports: ['@nestjs/*', 'bullmq', 'ioredis', 'pino', 'pino-*', 'express'] },
            { sourceTag: 'scope:contract', onlyDependOnLibsWithTags: ['scope:checks', 'scope:contract'],
              bannedExternalImports: ['@nestjs/*', 'bullmq', 'ioredis', 'pino', 'pino-*', 'express'] },
            // The renderer is words and payloads: pure functions over the contract's events, no I/O of its own.
            { sourceTag: 'scope:notify', onlyDependOnLibsWithTags: ['scope:checks', 'scope:contract', 'scope:notify'],
              bannedExternalImports: ['@nestjs/*', 'bullmq', 'ioredis', 'pino', 'pino-*', 'express', 'nodemailer'] },
            { sourceTag: 'scope:jobs', onlyDependOnLibsWithTags: ['scope:jobs'],
              bannedExternalImports: ['@nestjs/*', 'pino', 'pino-*', 'express'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
          ],
        },
      ],
    },
  },
  {
    // Second guard for the same rule, independent of Nx's project graph.
    files: ['libs/checks/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['@nestjs/*', 'bullmq', 'ioredis', 'pino', 'pino-*', 'express', '@crosscheck/agent', '@crosscheck/coordinator', '@crosscheck/cli'],
          message: 'libs/checks is framework-free: no NestJS, BullMQ, ioredis, pino or apps.' },
      ] }],
    },
  },
  {
    // The same guard for the renderer: words and payloads only, delivery is the coordinator's.
    files: ['libs/notify/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['@nestjs/*', 'bullmq', 'ioredis', 'pino', 'pino-*', 'express', 'nodemailer', '@crosscheck/agent', '@crosscheck/coordinator', '@crosscheck/cli', '@crosscheck/jobs'],
          message: 'libs/notify is pure: no NestJS, BullMQ, ioredis, pino, nodemailer, jobs or apps.' },
      ] }],
    },
  },
  {
    // The dashboard runs in browsers: the API's shapes come from the contract as types only (no zod,
    // no Node code in the bundle), and nothing of Node is reachable.
    files: ['apps/web/src/**/*.ts', 'apps/web/src/**/*.tsx'],
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [
        { group: ['@crosscheck/*'], allowTypeImports: true, message: 'the dashboard takes the API’s shapes as types only: a value import would bundle the library.' },
        { group: ['node:*'], message: 'the dashboard runs in browsers.' },
      ] }],
      'no-restricted-globals': ['error', { name: 'process', message: 'the dashboard runs in browsers.' }, { name: 'Buffer', message: 'the dashboard runs in browsers.' }],
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
