import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const alias = {
  '@crosscheck/checks': fileURLToPath(new URL('./libs/checks/src/index.ts', import.meta.url)),
  '@crosscheck/contract': fileURLToPath(new URL('./libs/contract/src/index.ts', import.meta.url)),
  '@crosscheck/jobs': fileURLToPath(new URL('./libs/jobs/src/index.ts', import.meta.url)),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['libs/*/src/**/*.spec.ts', 'apps/*/src/**/*.spec.ts'],
          environment: 'node',
          globalSetup: ['test/support/global-redis.ts'],
          testTimeout: 20_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e.ts'],
          environment: 'node',
          globalSetup: ['test/support/global-redis.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // End-to-end suites start real processes; `npm run test:e2e` runs their files one at a time.
        },
      },
    ],
  },
});
