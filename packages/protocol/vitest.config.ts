import { defineConfig } from 'vitest/config';

// The property tests run a thousand cases each; on a loaded 2-core CI machine (turbo runs the
// packages' checks side by side) that can take longer than vitest's default 5 s.
export default defineConfig({ test: { testTimeout: 30_000 } });
