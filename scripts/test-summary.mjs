// Prints the test totals as one plain line ("Tests: N passed, N failed"), the last thing `npm test` says.
import { readFileSync } from 'node:fs'

const results = JSON.parse(readFileSync('.vitest/results.json', 'utf8'))
const skipped = results.numPendingTests + results.numTodoTests
console.log(
  `Tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ''),
)
process.exitCode = results.numFailedTests > 0 || results.numTotalTests === 0 ? 1 : 0
