/** Changing a distribution's kind keeps its centre and spread; moving its centre keeps its shape. */
import { describe, expect, it } from 'vitest'
import { distSchema, NON_NEGATIVE, PROBABILITY, REAL } from '../../models/engine/distributions'
import { centreOf, convertKind, describeDist, kindsFor, meanOf, recentre, spreadOf, type DomainName } from './dists'
import type { DistSpec } from '../../models/engine/distributions'

const schemaFor: Record<string, ReturnType<typeof distSchema>> = {
  nonNegative: distSchema(NON_NEGATIVE),
  probability: distSchema(PROBABILITY),
  real: distSchema(REAL),
}

const valid = (d: DistSpec, domain: DomainName) => schemaFor[domain].safeParse(d).success

describe('convertKind', () => {
  const cash: DistSpec = { dist: 'pert', min: 2000, mode: 2400, max: 3000, source: 'A14' }
  const share: DistSpec = { dist: 'beta', alpha: 8, beta: 192 }
  const coefficient: DistSpec = { dist: 'normal', mean: 0.15, sd: 0.1 }

  it('gives a valid distribution of every kind, in the quantity’s domain, with its source kept', () => {
    for (const [d, domain] of [[cash, 'nonNegative'], [share, 'probability'], [coefficient, 'real'], [{ dist: 'point', value: 0 }, 'nonNegative']] as const)
      for (const kind of kindsFor(domain)) {
        const out = convertKind(d, kind, domain)
        expect(out.dist).toBe(kind)
        expect(valid(out, domain), `${d.dist} -> ${kind}: ${JSON.stringify(out)}`).toBe(true)
        expect(out.source).toBe(d.source)
      }
  })

  it('keeps the centre and about the spread', () => {
    const uniform = convertKind(cash, 'uniform', 'nonNegative')
    expect(uniform).toMatchObject({ min: 2000, max: 3000 })
    const normal = convertKind(cash, 'normal', 'nonNegative')
    expect(normal).toMatchObject({ mean: 2400, min: 0 })
    // the old range becomes the 90% interval's width, around the most likely value
    const [lo, hi] = spreadOf(normal)
    expect(hi - lo).toBeCloseTo(1000, 0)
    expect(centreOf(convertKind(share, 'pert', 'probability'))).toBeCloseTo(0.04, 3)
    // a point opens to +-20%
    expect(convertKind({ dist: 'point', value: 1000 }, 'triangular', 'nonNegative')).toEqual({ dist: 'triangular', min: 800, mode: 1000, max: 1200 })
  })
})

describe('kindsFor', () => {
  it('offers only kinds that stay inside the quantity’s domain', () => {
    expect(kindsFor('probability')).toEqual(['point', 'uniform', 'triangular', 'pert', 'normal', 'beta'])
    expect(kindsFor('nonNegative')).toEqual(['point', 'uniform', 'triangular', 'pert', 'normal', 'lognormal'])
    expect(kindsFor('atLeastOne')).not.toContain('lognormal')
  })
})

describe('recentre', () => {
  it('scales a distribution so that its centre moves and its relative spread stays', () => {
    expect(recentre({ dist: 'pert', min: 2000, mode: 2400, max: 3000 }, 4800, 'nonNegative')).toEqual({ dist: 'pert', min: 4000, mode: 4800, max: 6000 })
    const lognormal = recentre({ dist: 'lognormal', low: 500, high: 2000 }, 2000, 'nonNegative')
    expect(centreOf(lognormal)).toBeCloseTo(2000, 6)
    const beta = recentre({ dist: 'beta', alpha: 5, beta: 5 }, 0.8, 'probability')
    expect(beta).toEqual({ dist: 'beta', alpha: 8, beta: 2 })
    expect(recentre({ dist: 'point', value: 3 }, 7, 'nonNegative')).toEqual({ dist: 'point', value: 7 })
  })

  it('shifts from zero, and never leaves the domain', () => {
    const shifted = recentre({ dist: 'triangular', min: 0, mode: 0, max: 100 }, 50, 'nonNegative')
    expect(shifted).toEqual({ dist: 'triangular', min: 50, mode: 50, max: 150 })
    const low = recentre({ dist: 'uniform', min: 0.2, max: 0.6 }, 0.9, 'probability')
    expect(valid(low, 'probability')).toBe(true)
  })
})

describe('describeDist', () => {
  it('says a distribution in one line', () => {
    const n = (x: number) => x.toLocaleString('en-GB')
    expect(describeDist({ dist: 'pert', min: 2000, mode: 2400, max: 3000 }, n)).toBe('PERT 2,000 · 2,400 · 3,000')
    expect(describeDist({ dist: 'lognormal', low: 500, high: 2000 }, n)).toBe('lognormal, 90% in 500 to 2,000')
    expect(describeDist({ dist: 'point', value: 7 }, n)).toBe('7')
  })
})

describe('meanOf', () => {
  it('gives each kind’s mean', () => {
    expect(meanOf({ dist: 'pert', min: 2000, mode: 2400, max: 3000 })).toBeCloseTo(2433.33, 2)
    expect(meanOf({ dist: 'triangular', min: 0, mode: 3, max: 6 })).toBe(3)
    expect(meanOf({ dist: 'beta', alpha: 10, beta: 990 })).toBe(0.01)
    // a lognormal's mean lies above its median
    const lognormal = meanOf({ dist: 'lognormal', low: 500, high: 2000 })
    expect(lognormal).toBeGreaterThan(1000)
    expect(lognormal).toBeCloseTo(1000 * Math.exp((Math.log(4) / (2 * 1.6448536269514722)) ** 2 / 2), 6)
  })
})
