import { defineConfig } from 'vitest/config';

/**
 * Two projects: every test on the engine's default kernels (WebAssembly SIMD, required here so a
 * broken build cannot fall back unnoticed), and the engine, figure and prose-number tests again on
 * the plain TypeScript kernels, the fallback for engines without SIMD.
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'wasm',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['tests/setup/kernels-wasm.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'ts-fallback',
          include: [
            'tests/unit/engine-*.test.ts',
            'tests/unit/figure-*.test.ts',
            'tests/unit/prose-numbers-*.test.ts',
          ],
          exclude: ['tests/unit/engine-kernels-wasm.test.ts'],
          environment: 'node',
          setupFiles: ['tests/setup/kernels-ts.ts'],
        },
      },
    ],
  },
});
