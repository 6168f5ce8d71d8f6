import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['{models,app,cli,functions,web,infra,scenarios,docs}/**/*.test.{ts,tsx}'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // the JSON report feeds the one-line total that `npm test` prints last (scripts/test-summary.mjs)
    reporters: ['default', ['json', { outputFile: '.vitest/results.json' }]],
  },
})
