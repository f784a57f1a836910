import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // The abuse tests load the machine on purpose and measure timing: one file at a time.
    fileParallelism: false,
  },
});
