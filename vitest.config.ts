import { defineConfig } from 'vitest/config';

// Concurrency tests (`*.pg.test.ts`) need PostgreSQL: PGlite serves one connection at a time.
// They run when TEST_DATABASE_URL is set (CI's PostgreSQL pass), and are not collected otherwise.
const onPostgres = (process.env.TEST_DATABASE_URL ?? '') !== '';

export default defineConfig({
  oxc: { jsx: { runtime: 'classic', pragma: 'h', pragmaFrag: 'Fragment' } },
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**', ...(onPostgres ? [] : ['**/*.pg.test.ts'])],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { TZ: 'UTC' },
  },
});
