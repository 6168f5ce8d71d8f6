import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['{models,cli,functions,web,infra,scenarios}/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
