import { describe, expect, it } from 'vitest'
import { InFlight } from './in-flight'

/** A computation the test settles by hand, recording the signal it was given. */
const deferred = () => {
  const calls: { signal: AbortSignal; resolve: (v: number) => void; reject: (e: unknown) => void }[] = []
  const compute = (signal: AbortSignal) =>
    new Promise<number>((resolve, reject) => {
      calls.push({ signal, resolve, reject })
    })
  return { calls, compute }
}

describe('identical computations in flight', () => {
  it('are computed once and every caller gets the answer; once settled, the next call computes afresh', async () => {
    const shared = new InFlight<number>()
    const { calls, compute } = deferred()
    const a = shared.run('k', compute)
    const b = shared.run('k', compute)
    const other = shared.run('other', compute)
    expect(calls.length).toBe(2)
    calls[0].resolve(7)
    calls[1].resolve(8)
    expect(await Promise.all([a, b, other])).toEqual([7, 7, 8])
    expect(shared.size).toBe(0)
    const c = shared.run('k', compute)
    expect(calls.length).toBe(3)
    calls[2].resolve(9)
    expect(await c).toBe(9)
  })

  it('a failure reaches every caller', async () => {
    const shared = new InFlight<number>()
    const { calls, compute } = deferred()
    const a = shared.run('k', compute)
    const b = shared.run('k', compute)
    calls[0].reject(new Error('no thread'))
    await expect(a).rejects.toThrow('no thread')
    await expect(b).rejects.toThrow('no thread')
    // so does one thrown before any promise is made
    await expect(shared.run('sync', () => { throw new Error('bad job') })).rejects.toThrow('bad job')
  })

  it('a caller that goes away leaves the others their answer; the computation stops only when the last one goes', async () => {
    const shared = new InFlight<number>()
    const { calls, compute } = deferred()
    const first = new AbortController()
    const second = new AbortController()
    const a = shared.run('k', compute, first.signal)
    const b = shared.run('k', compute, second.signal)
    first.abort(new Error('first left'))
    await expect(a).rejects.toThrow('first left')
    expect(calls[0].signal.aborted).toBe(false)
    calls[0].resolve(5)
    expect(await b).toBe(5)

    const third = new AbortController()
    const c = shared.run('j', compute, third.signal)
    third.abort(new Error('third left'))
    await expect(c).rejects.toThrow('third left')
    expect(calls[1].signal.aborted).toBe(true)
    // a new request for the same job does not join the cancelled computation
    const d = shared.run('j', compute)
    expect(calls.length).toBe(3)
    calls[2].resolve(6)
    expect(await d).toBe(6)
    // and a signal already aborted computes nothing
    await expect(shared.run('x', compute, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone')
    expect(calls.length).toBe(3)
  })
})
