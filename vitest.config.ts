import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Hang guards only: on a shared, loaded machine an honest end-to-end test can take a while;
    // one that starts Herald six times in a row took 54 s at a load average of 20 on two cores.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // The end-to-end suites open real sockets; two workers match the two cores we run on.
    maxWorkers: 2,
    // Fail the run when a test leaves files in the temp directory, or creates any in the repository.
    globalSetup: ['tests/support/temp-dir-guard.ts', 'tests/support/repo-root-guard.ts'],
  },
});
