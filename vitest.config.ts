import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // The end-to-end suites open real sockets; two workers match the two cores we run on.
    maxWorkers: 2,
  },
});
