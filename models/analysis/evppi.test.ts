import { sampleRankCorrelation } from 'simple-statistics'
import { describe, expect, it } from 'vitest'
import { compareInProcess } from './compare'
import { evppi } from './evppi'
import { toy } from './fixtures.test-util'
import { inputColumn, psaSample, rankCorrelations } from './psa-sample'
import { smoothGroup, smoothOne } from './smoother'

/**
 * A programme against removal-only, expected cohort, so the incremental NMB is a function of the inputs alone:
 * cash per adult (cost), the AVRR uptake (cost and effect), the AVRR sustainability (effect) and one input no
 * part of the model reads (a training lift without training). At WTP 800 the mean incremental NMB is near 0:
 * the decision is as uncertain as it gets, and noise in a fitted curve crosses 0 (the hard case for EVPPI ~ 0).
 */
const WTP = 800
const programme = toy(
  {
    programme: { cashPerAdult: { dist: 'uniform', min: 2500, max: 7000 } },
    effects: {
      packageValue: 0,
      sustainableAvrr: { dist: 'beta', alpha: 6, beta: 4 },
      sustainableForced: 0.3,
      sustainabilityLift: { training: { dist: 'normal', mean: 0, sd: 1 } },
      remigrationMonthly: { sustainable: 0, notSustainable: 0 },
      reentryShare: 0,
    },
  },
  { baseMonthlyUptake: { dist: 'uniform', min: 0.02, max: 0.08 } },
)
const removalOnly = { ...programme, id: 'toy-removal-only', programme: null }
const N = 10_000
const sampling = { seed: 'evppi', iterations: N }
const sample = psaSample(programme, { outcome: 'netMonetaryBenefit', comparator: removalOnly, wtp: WTP }, sampling)
const report = evppi(sample, [{ name: 'all inputs', paths: ['*'] }])
const byPath = (p: string) => report.inputs.find((e) => e.name === p)!

const inb = sample.incrementalNmb!
const positivePart = Float64Array.from(inb, (x) => Math.max(0, x))
const sd = (x: Float64Array) => {
  const m = x.reduce((a, b) => a + b, 0) / x.length
  return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1))
}

describe('the PSA sample', () => {
  it('holds the inputs of both scenarios and the paired incremental NMB that compare.ts reports', () => {
    expect(sample.paths).toEqual([
      'groups[g].baseMonthlyUptake',
      'programme.cashPerAdult',
      'effects.sustainableAvrr',
      'effects.sustainabilityLift.training',
    ])
    const comparison = compareInProcess(programme, removalOnly, { seed: 'evppi', iterations: N, wtp: WTP })
    const meanInb = inb.reduce((a, b) => a + b, 0) / N
    expect(meanInb).toBeCloseTo(comparison.comparison.netMonetaryBenefit.mean!, 3)
    expect(report.evpi).toBeCloseTo(comparison.comparison.evpi, 3)
    expect(report.evpi).toBeGreaterThan(0.1 * sd(inb))
  })

  it("rank correlations are Spearman's rho (simple-statistics' sampleRankCorrelation agrees)", () => {
    const rhos = rankCorrelations(sample)
    for (const { path, rho } of rhos) {
      const k = sample.paths.indexOf(path)
      expect(rho!).toBeCloseTo(sampleRankCorrelation(Array.from(inputColumn(sample, k)), Array.from(sample.outcome)), 10)
    }
    expect(rhos[0].path).toBe('programme.cashPerAdult')
    expect(rhos[0].rho!).toBeLessThan(-0.8)
    expect(Math.abs(rhos.find((r) => r.path === 'effects.sustainabilityLift.training')!.rho!)).toBeLessThan(0.04)
  })
})

describe('EVPPI by non-parametric regression (Strong, Oakley & Brennan 2014)', () => {
  it('is about 0 for an input the decision does not depend on: below the level a fit to pure noise reaches', () => {
    // For an input independent of the INB the fitted values are noise around the mean, and EVPPI =
    // mean(max(g, 0)) - max(mean g, 0) <= mean|g - mean g| <= rms(g - mean g), whose expectation for a linear
    // smoother of effective dimension edf is at most sd(INB) x sqrt((edf - 1) / n): `noiseLevel` of the estimate.
    const irrelevant = byPath('effects.sustainabilityLift.training')
    expect(irrelevant.noiseLevel).toBeCloseTo(sd(inb) * Math.sqrt(irrelevant.edf / N), 6)
    expect(irrelevant.evppi).toBeLessThanOrEqual(irrelevant.noiseLevel)
    // and below every input the decision does depend on (the noise level is a bound, not a tolerance: a fixed
    // 1% of the EVPI is not one the sample size gives)
    for (const input of report.inputs) if (input !== irrelevant) expect(irrelevant.evppi).toBeLessThan(input.evppi)
  })

  it('orders the inputs by their value of information, each at most the EVPI', () => {
    expect(report.inputs[0].name).toBe('programme.cashPerAdult')
    for (const e of report.inputs) expect(e.evppi).toBeLessThanOrEqual(report.evpi * 1.001)
    expect(byPath('programme.cashPerAdult').evppi).toBeGreaterThan(0.3 * report.evpi)
  })

  it('of all inputs as one group equals the EVPI within Monte Carlo error', () => {
    // The INB is a function of the four inputs, so perfect information on all of them is perfect information.
    // The EVPI estimate's own Monte Carlo standard error is about sd(max(INB, 0)) / sqrt(n).
    const all = report.groups[0]
    expect(all.paths).toHaveLength(4)
    expect(all.rSquared).toBeGreaterThan(0.999)
    const mcse = sd(positivePart) / Math.sqrt(N)
    expect(Math.abs(all.evppi - report.evpi)).toBeLessThan(mcse)
    // the report caps an estimate at the EVPI; the fit itself, uncapped, is as close
    const fit = smoothGroup(sample.paths.map((_, k) => inputColumn(sample, k)), inb)
    const mean = (x: Float64Array) => x.reduce((a, b) => a + b, 0) / x.length
    const uncapped = mean(fit.fitted.map((g) => Math.max(g, 0))) - Math.max(mean(fit.fitted), 0)
    expect(Math.abs(uncapped - report.evpi)).toBeLessThan(mcse)
  })

  it('a two-input group lies between its members and the EVPI', () => {
    const pair = evppi(sample, [{ name: 'cost', paths: ['programme.cashPerAdult', 'groups[g].baseMonthlyUptake'] }], [])
    const g = pair.groups[0].evppi
    expect(g).toBeGreaterThanOrEqual(byPath('programme.cashPerAdult').evppi * 0.999)
    expect(g).toBeLessThanOrEqual(report.evpi * 1.001)
  })
})

describe('the one-input smoother', () => {
  it('recovers a smooth curve through noise on the input ranks', () => {
    let seed = 7
    const uniform = () => (seed = (seed * 16807) % 2147483647) / 2147483647
    const n = 5000
    const x = Float64Array.from({ length: n }, uniform)
    const y = Float64Array.from(x, (v) => Math.sin(6 * v) + (uniform() - 0.5))
    const fit = smoothOne(x, y)
    let error = 0
    for (let i = 0; i < n; i++) error += (fit.fitted[i] - Math.sin(6 * x[i])) ** 2
    expect(Math.sqrt(error / n)).toBeLessThan(0.03)
    expect(fit.edf).toBeGreaterThan(4)
    expect(fit.edf).toBeLessThan(20)
  })
})
