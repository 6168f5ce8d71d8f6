/**
 * Seeded random streams keyed by (seed, iteration, parameter path), so no draw depends on sharding: a hashed uniform
 * per parameter, and xorshift128 streams for the stochastic cohort's counts.
 */
import seedrandom from 'seedrandom'

export type Seed = string | number

/**
 * Murmur3's 32-bit finaliser as an int32: a cheap bijective mix, so distinct inputs give distinct, well-spread
 * words. An int32 or uint32 input with the same bits gives the same result. Inside the streams the words stay
 * int32: a uint32 above 2^31 returned from (or passed to) a call V8 does not inline is boxed, a heap allocation.
 */
const mixBits = (h: number): number => {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return h ^ (h >>> 16)
}

/** `mixBits` as a uint32: the form of the keys (seed, path, iteration) the rest of the engine stores. */
export const mix32 = (h: number): number => mixBits(h) >>> 0

/**
 * The run key of a seed. seedrandom's xor4096 digests a string of any length well; it runs once per run,
 * never per iteration. Integer and string seeds with the same text give the same key (7 and "7").
 */
export const seedKey = (seed: Seed): number => seedrandom.xor4096(String(seed)).int32() >>> 0

/** FNV-1a of a parameter path, mixed: the path's identity in every iteration's streams. */
export const pathKey = (path: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 0x01000193)
  return mix32(h)
}

/** The iteration's part of a stream key; computed once per iteration. */
export const iterationKey = (iteration: number): number => mix32((iteration ^ 0x85a308d3) >>> 0)

// The per-path and per-iteration words of every stream's seed, as int32 (used inside the streams) and uint32.
const pathSaltBits = (pathKeyWord: number): number => mixBits((pathKeyWord + 0x85ebca6b) | 0)
const iterationWordBits = (runKey: number, iterKey: number): number => mixBits(runKey ^ mixBits(iterKey ^ 0x9e3779b9))
const iterationSaltBits = (word: number): number => mixBits((word + 0x7f4a7c15) | 0)

/** The per-path part of a stream's seed, computed once per parameter. */
export const pathSalt = (pathKeyWord: number): number => pathSaltBits(pathKeyWord) >>> 0

/** The per-iteration words of every stream of iteration `iterKey` in run `runKey`: [word, salt]. */
export const iterationWord = (runKey: number, iterKey: number): number => iterationWordBits(runKey, iterKey) >>> 0
export const iterationSalt = (word: number): number => iterationSaltBits(word) >>> 0

const TWO_POW_32 = 4294967296
const TWO_POW_20 = 1048576
const TWO_POW_52 = 4503599627370496

/**
 * The uniforms of one iteration's parameters: the uniform of parameter path p in iteration i is a hash of
 * (run key, i, p) to 52 random bits, counter-free, so drawing a parameter (by inversion) costs four integer mixes
 * and no stream state. It is the first number of the parameter's stream; a parameter never needs a second.
 */
export class ParameterUniforms {
  private word = 0
  private salt = 0

  /** Point at iteration `iterKey` of run `runKey`: once per iteration. */
  setIteration(runKey: number, iterKey: number): this {
    this.word = iterationWord(runKey, iterKey)
    this.salt = iterationSalt(this.word)
    return this
  }

  /**
   * The uniform of the parameter whose path key and salt (`pathSalt`) are given, strictly inside (0, 1): a multiple
   * of 2^-52 plus 2^-53. The two first words each depend on the iteration and the path through a different pairing,
   * and the final mixes combine them non-linearly, so neighbouring paths and iterations give unrelated uniforms.
   */
  uniform(pathKeyWord: number, pathSaltWord: number): number {
    return hashedUniform(this.word, this.salt, pathKeyWord, pathSaltWord)
  }
}

/** `ParameterUniforms.uniform` for an iteration's word and salt given (a block of iterations keeps them in arrays). */
export const hashedUniform = (word: number, salt: number, pathKeyWord: number, pathSaltWord: number): number => {
  const h2 = mix32((pathKeyWord ^ salt) >>> 0)
  const h3 = mix32((word ^ pathSaltWord) >>> 0)
  const high = mix32((h2 + h3) >>> 0)
  const low = mix32(((h2 ^ 0x6a09e667) + Math.imul(h3, 0x9e3779b1)) >>> 0)
  return (high * TWO_POW_20 + (low >>> 12) + 0.5) / TWO_POW_52
}

/**
 * Marsaglia's xorshift128, step for step the `xor128` generator of seedrandom (a test checks the outputs
 * against the library), kept in class fields so that re-seeding and drawing allocate nothing: the engine
 * re-seeds one stream object per parameter per iteration instead of building a generator each time.
 */
export class Stream {
  x = 0
  y = 0
  z = 0
  w = 0

  /**
   * Point the stream at (run key, iteration key, path key). Each state word is a non-linear hash of all
   * three, and a few steps diffuse it: xorshift is linear, so state words that share an input (say the
   * path, the same every month) would make the first outputs of neighbouring streams correlated.
   */
  reset(runKey: number, iterKey: number, pathKeyWord: number): this {
    const word = iterationWordBits(runKey, iterKey)
    const h2 = mixBits(pathKeyWord ^ iterationSaltBits(word))
    const h3 = mixBits(word ^ pathSaltBits(pathKeyWord))
    this.x = h3
    this.y = h2
    this.z = mixBits((h3 + h2 + 0x6a09e667) | 0)
    this.w = mixBits(((h3 ^ h2) + 0xbb67ae85) | 0)
    if ((this.x | this.y | this.z | this.w) === 0) this.w = 1
    for (let i = 0; i < 4; i++) this.nextInt32()
    return this
  }

  /** Set the raw state (tests compare with seedrandom's xor128 restored from the same state). */
  setState(x: number, y: number, z: number, w: number): this {
    this.x = x | 0
    this.y = y | 0
    this.z = z | 0
    this.w = w | 0
    return this
  }

  nextInt32(): number {
    const t = this.x ^ (this.x << 11)
    this.x = this.y
    this.y = this.z
    this.z = this.w
    this.w ^= (this.w >>> 19) ^ t ^ (t >>> 8)
    return this.w
  }

  /** A uniform double strictly inside (0, 1): safe for logs and inverse CDFs at both ends. */
  nextDouble(): number {
    return ((this.nextInt32() >>> 0) + 0.5) / TWO_POW_32
  }
}
