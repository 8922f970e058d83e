import { defineConfig } from 'vitest/config';

// graphql must be one module instance for type-graphql and the tests alike.
const alias = [{ find: /^graphql$/, replacement: 'graphql/index.js' }];

const common = {
  alias,
  globalSetup: ['tests/support/global-setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 120_000,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...common,
          name: 'unit',
          include: ['server/src/**/*.test.ts', 'workers/src/**/*.test.ts', 'tests/integration/**/*.test.ts'],
        },
      },
      {
        test: {
          ...common,
          name: 'system',
          include: ['tests/e2e/**/*.test.ts', 'tests/system/**/*.test.ts'],
          fileParallelism: false,
        },
      },
      {
        test: {
          ...common,
          name: 'corpus',
          include: ['tests/corpus/**/*.test.ts'],
        },
      },
    ],
  },
});
