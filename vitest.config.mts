import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { vscode: `${import.meta.dirname}/test/support/fakeVscode/vscodeApi.ts` } },
  test: {
    include: ['test/unit/**/*.test.ts'],
    testTimeout: 20_000,
    pool: 'forks',
  },
});
