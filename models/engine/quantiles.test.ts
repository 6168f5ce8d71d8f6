import { describe, expect, it } from 'vitest'
import { compileDist, distSupport, sampleDist, type Dist, type DistSpec } from './distributions'
import { normalCdf } from './normal'
import { distQuantile } from './quantiles'
import { Stream } from './rng'

const close = (actual: number, expected: number, relative = 1e-12) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)))

describe('distQuantile of every Dist kind', () => {
  it('closed forms: point, uniform, triangular, normal (truncated), lognormal (low/high are its 5th/95th), pert', () => {
    expect(distQuantile(7, 0.3)).toBe(7)
    expect(distQuantile({ dist: 'point', value: 3 }, 0.9)).toBe(3)
    close(distQuantile({ dist: 'uniform', min: 100, max: 300 }, 0.05), 110)
    close(distQuantile({ dist: 'uniform', min: 100, max: 300 }, 0.95), 290)
    // triangular(0, 1, 4): F(x) = x^2 / 4 on [0, 1]
    close(distQuantile({ dist: 'triangular', min: 0, mode: 1, max: 4 }, 0.09), Math.sqrt(0.36))
    close(distQuantile({ dist: 'triangular', min: 0, mode: 1, max: 4 }, 0.25), 1)
    close(distQuantile({ dist: 'normal', mean: 10, sd: 2 }, 0.975), 10 + 2 * 1.959963984540054, 1e-14)
    close(distQuantile({ dist: 'normal', mean: 0, sd: 1, min: -1, max: 2 }, 0), -1, 1e-14)
    close(distQuantile({ dist: 'normal', mean: 0, sd: 1, min: -1, max: 2 }, 1), 2, 1e-14)
    const truncatedMedian = distQuantile({ dist: 'normal', mean: 0, sd: 1, min: 0 }, 0.5)
    close(normalCdf(truncatedMedian), 0.75, 1e-14)
    close(distQuantile({ dist: 'lognormal', low: 650, high: 1100 }, 0.05), 650, 1e-13)
    close(distQuantile({ dist: 'lognormal', low: 650, high: 1100 }, 0.95), 1100, 1e-13)
    close(distQuantile({ dist: 'lognormal', low: 650, high: 1100 }, 0.5), Math.sqrt(650 * 1100), 1e-13)
    close(distQuantile({ dist: 'pert', min: 2, mode: 5, max: 8 }, 0.5), 5, 1e-13) // symmetric: median = mode
    close(distQuantile({ dist: 'pert', min: 0, mode: 0, max: 10 }, 0.3), 10 * (1 - 0.7 ** (1 / 5)), 1e-12) // Beta(1, 5)
    close(distQuantile({ dist: 'beta', alpha: 2, beta: 3 }, 0.5), 0.3857275681323646, 1e-13)
    expect(() => distQuantile(1, 1.5)).toThrow(/quantile level/)
  })

  const kinds: DistSpec[] = [
    { dist: 'uniform', min: -2, max: 5 },
    { dist: 'triangular', min: 0, mode: 2, max: 30 },
    { dist: 'pert', min: 30000, mode: 45000, max: 60000 },
    { dist: 'pert', min: 0, mode: 2, max: 30 },
    { dist: 'normal', mean: 0.15, sd: 0.1 },
    { dist: 'normal', mean: 1, sd: 2, min: 0, max: 3 },
    { dist: 'lognormal', low: 1500, high: 4000 },
    { dist: 'beta', alpha: 2, beta: 198 },
    { dist: 'beta', alpha: 0.5, beta: 0.7 },
  ]

  it.each(kinds)('matches the empirical quantiles of sampleDist: %o', (spec: Dist) => {
    // the empirical CDF at the q-quantile is Binomial(n, q) / n: within 4.5 standard errors
    const n = 40_000
    const rng = new Stream().reset(11, 12, 13)
    const compiled = compileDist(spec)
    const draws = Float64Array.from({ length: n }, () => sampleDist(compiled, rng))
    for (const q of [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]) {
      const x = distQuantile(spec, q)
      let below = 0
      for (const d of draws) if (d <= x) below++
      expect(Math.abs(below / n - q)).toBeLessThan(4.5 * Math.sqrt((q * (1 - q)) / n))
    }
    const [lo, hi] = distSupport(spec as DistSpec)
    expect(distQuantile(spec, 0)).toBeGreaterThanOrEqual(lo)
    expect(distQuantile(spec, 1)).toBeLessThanOrEqual(hi)
  })
})
