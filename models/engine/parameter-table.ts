/** Every Dist of a scenario compiled into typed arrays, and the draw of all of them for one iteration. */
import {
  compileDist,
  DistKind,
  inverseCdf,
  samplerTableOf,
  scaleBeta,
  scaleLognormal,
  scaleNormal,
  triangularInverse,
  truncatedNormalLevel,
  uniformInverse,
  type Dist,
} from './distributions'
import { betaQuantile } from './beta'
import type { InversionTable } from './inversion-table'
import { hashedUniform, iterationKey, iterationSalt, iterationWord, ParameterUniforms, pathKey, pathSalt } from './rng'

const KINDS = 6

/** The most iterations `drawBlock` draws at once. */
export const PARAMETER_BLOCK = 64

/**
 * A parameter's uniform is keyed by its path (groups by id), so two scenarios that share a parameter draw the same
 * value in the same iteration (common random numbers).
 */
export class ParameterTable {
  readonly paths: string[] = []
  kinds = new Uint8Array(0)
  params = new Float64Array(0)
  keys = new Uint32Array(0)
  salts = new Uint32Array(0)
  /** Per slot: the sampler's inversion table (the normal and beta families), else null. */
  samplerTables: (InversionTable | null)[] = []
  /** The slots of each kind: drawing runs one tight loop per kind, with no switch per parameter. */
  private slotsByKind: Int32Array[] = []
  /** Every slot's point value (its first number), copied in before the loops overwrite the drawn ones. */
  private firstNumbers = new Float64Array(0)
  /** The slots drawn (all but the points), and those drawn through a table. */
  private drawn = new Int32Array(0)
  private tabled = new Int32Array(0)
  /** Beta-family slots of a shape no table serves (extreme shapes): inverted exactly. */
  private untabledBeta = new Int32Array(0)
  /** Per slot: its uniform, then its table's value. */
  private scratch = new Float64Array(0)
  private readonly uniforms = new ParameterUniforms()
  /** Per iteration of a block (`drawBlock`): its uniforms' word and salt, then one parameter's uniforms. */
  private readonly blockWords = new Float64Array(PARAMETER_BLOCK)
  private readonly blockSalts = new Float64Array(PARAMETER_BLOCK)
  private readonly blockScratch = new Float64Array(PARAMETER_BLOCK)
  private readonly pending: { kind: DistKind; a: number; b: number; c: number; d: number }[] = []

  /** Register a parameter; an absent optional field is the point `fallback`. Returns its slot. */
  add(path: string, dist: Dist | undefined, fallback: number): number {
    this.paths.push(path)
    this.pending.push(compileDist(dist ?? fallback))
    return this.paths.length - 1
  }

  seal(): void {
    const n = this.pending.length
    this.kinds = new Uint8Array(n)
    this.params = new Float64Array(4 * n)
    this.keys = new Uint32Array(n)
    this.salts = new Uint32Array(n)
    this.pending.forEach((p, i) => {
      this.kinds[i] = p.kind
      this.params.set([p.a, p.b, p.c, p.d], 4 * i)
      this.keys[i] = pathKey(this.paths[i])
      this.salts[i] = pathSalt(this.keys[i])
    })
    this.samplerTables = Array.from(this.kinds, (kind, i) => samplerTableOf(kind, this.params, 4 * i))
    this.slotsByKind = Array.from({ length: KINDS }, (_, kind) =>
      Int32Array.from(this.kinds.keys()).filter((slot) => this.kinds[slot] === kind),
    )
    this.firstNumbers = Float64Array.from({ length: n }, (_, i) => this.params[4 * i])
    const slots = Int32Array.from(this.kinds.keys())
    this.drawn = slots.filter((i) => this.kinds[i] !== DistKind.Point)
    this.tabled = slots.filter((i) => this.samplerTables[i] !== null)
    this.untabledBeta = slots.filter((i) => this.kinds[i] === DistKind.ScaledBeta && this.samplerTables[i] === null)
    this.scratch = new Float64Array(n)
  }

  get size(): number {
    return this.paths.length
  }

  /**
   * Draw every parameter of iteration `iterKey` into `values`, each by inverting its own uniform; allocation-free.
   * A parameter whose entry in `overrides` is not NaN takes that value instead (sensitivity analyses fix inputs
   * or replay cached draws) and is not drawn; the others are as without overrides (no draw depends on another).
   *
   * In stages, each a function of tight loops with one call site each: the uniforms, the tables, the scales. One
   * loop with a call per kind ran ~2x slower: V8 stops inlining past a budget of bytecode per function, and a
   * double crossing a call it does not inline is boxed (a heap allocation).
   */
  drawAll(runKey: number, iterKey: number, values: Float64Array, overrides?: Float64Array): void {
    if (overrides !== undefined) {
      this.drawAround(runKey, iterKey, values, overrides)
      return
    }
    this.uniformsInto(runKey, iterKey)
    this.invertThroughTables()
    this.scaleInto(values)
  }

  /** Stage 1: every drawn slot's uniform into the scratch. */
  private uniformsInto(runKey: number, iterKey: number): void {
    const { keys, salts, drawn, scratch } = this
    const uniforms = this.uniforms.setIteration(runKey, iterKey)
    for (let k = 0; k < drawn.length; k++) {
      const i = drawn[k]
      scratch[i] = uniforms.uniform(keys[i], salts[i])
    }
  }

  /** Stage 2: the normals' truncation, then the tables (Phi^-1, the beta quantiles); untabled shapes exactly. */
  private invertThroughTables(): void {
    const { params, samplerTables, tabled, scratch } = this
    const normal = this.slotsByKind[DistKind.Normal]
    for (let k = 0; k < normal.length; k++) {
      scratch[normal[k]] = truncatedNormalLevel(params, 4 * normal[k], scratch[normal[k]])
    }
    for (let k = 0; k < tabled.length; k++) {
      const i = tabled[k]
      scratch[i] = samplerTables[i]!.at(scratch[i])
    }
    const untabled = this.untabledBeta
    for (let k = 0; k < untabled.length; k++) {
      const i = untabled[k]
      scratch[i] = betaQuantile(scratch[i], params[4 * i + 2], params[4 * i + 3])
    }
  }

  /** Stage 3: each kind's own scale (and the closed-form kinds' inverses), the points as they are. */
  private scaleInto(values: Float64Array): void {
    const { params, scratch, slotsByKind } = this
    values.set(this.firstNumbers)
    const beta = slotsByKind[DistKind.ScaledBeta]
    for (let k = 0; k < beta.length; k++) values[beta[k]] = scaleBeta(params, 4 * beta[k], scratch[beta[k]])
    const normal = slotsByKind[DistKind.Normal]
    for (let k = 0; k < normal.length; k++) values[normal[k]] = scaleNormal(params, 4 * normal[k], scratch[normal[k]])
    const lognormal = slotsByKind[DistKind.Lognormal]
    for (let k = 0; k < lognormal.length; k++) {
      values[lognormal[k]] = scaleLognormal(params, 4 * lognormal[k], scratch[lognormal[k]])
    }
    const uniform = slotsByKind[DistKind.Uniform]
    for (let k = 0; k < uniform.length; k++) values[uniform[k]] = uniformInverse(params, 4 * uniform[k], scratch[uniform[k]])
    const triangular = slotsByKind[DistKind.Triangular]
    for (let k = 0; k < triangular.length; k++) {
      values[triangular[k]] = triangularInverse(params, 4 * triangular[k], scratch[triangular[k]])
    }
  }

  /**
   * `drawAll` for iterations [first, first + count) (count <= PARAMETER_BLOCK) at once, into `rows` (iteration
   * first + r at r * size): the same values, drawn one parameter at a time over the block, so that parameter's
   * table and numbers stay in cache for all of its draws.
   */
  drawBlock(runKey: number, first: number, count: number, rows: Float64Array): void {
    const { keys, salts, kinds, params, samplerTables, blockWords, blockSalts, blockScratch: u } = this
    const size = this.size
    for (let r = 0; r < count; r++) {
      const word = iterationWord(runKey, iterationKey(first + r))
      blockWords[r] = word
      blockSalts[r] = iterationSalt(word)
    }
    for (let i = 0; i < size; i++) {
      const kind = kinds[i]
      if (kind === DistKind.Point) {
        const x = this.firstNumbers[i]
        for (let r = 0; r < count; r++) rows[r * size + i] = x
        continue
      }
      const key = keys[i]
      const salt = salts[i]
      for (let r = 0; r < count; r++) u[r] = hashedUniform(blockWords[r], blockSalts[r], key, salt)
      const o = 4 * i
      if (kind === DistKind.Normal) for (let r = 0; r < count; r++) u[r] = truncatedNormalLevel(params, o, u[r])
      const table = samplerTables[i]
      if (table !== null) for (let r = 0; r < count; r++) u[r] = table.at(u[r])
      else if (kind === DistKind.ScaledBeta) {
        for (let r = 0; r < count; r++) u[r] = betaQuantile(u[r], params[o + 2], params[o + 3])
      }
      this.scaleBlock(kind, o, count, rows, i)
    }
  }

  /** Stage 3 of `drawBlock` for one slot: its kind's scale (or closed-form inverse) of the block's numbers. */
  private scaleBlock(kind: number, o: number, count: number, rows: Float64Array, i: number): void {
    const { params, blockScratch: u } = this
    const size = this.size
    if (kind === DistKind.ScaledBeta) for (let r = 0; r < count; r++) rows[r * size + i] = scaleBeta(params, o, u[r])
    else if (kind === DistKind.Normal) for (let r = 0; r < count; r++) rows[r * size + i] = scaleNormal(params, o, u[r])
    else if (kind === DistKind.Lognormal) {
      for (let r = 0; r < count; r++) rows[r * size + i] = scaleLognormal(params, o, u[r])
    } else if (kind === DistKind.Uniform) {
      for (let r = 0; r < count; r++) rows[r * size + i] = uniformInverse(params, o, u[r])
    } else for (let r = 0; r < count; r++) rows[r * size + i] = triangularInverse(params, o, u[r])
  }

  /**
   * `drawAll` with overrides, slot by slot: the analyses override most slots (every one, replaying cached draws),
   * so drawing only the others beats drawing all and overwriting.
   */
  private drawAround(runKey: number, iterKey: number, values: Float64Array, overrides: Float64Array): void {
    const uniforms = this.uniforms.setIteration(runKey, iterKey)
    for (let i = 0; i < values.length; i++) {
      const fixed = overrides[i]
      if (fixed === fixed) values[i] = fixed
      else if (this.kinds[i] === DistKind.Point) values[i] = this.firstNumbers[i]
      else values[i] = this.valueAt(i, uniforms.uniform(this.keys[i], this.salts[i]))
    }
  }

  /** The value slot `slot` takes for uniform u: the sampler's inverse CDF (through its table, if it has one). */
  valueAt(slot: number, u: number): number {
    return inverseCdf(this.kinds[slot] as DistKind, this.params, 4 * slot, u, this.samplerTables[slot])
  }
}
