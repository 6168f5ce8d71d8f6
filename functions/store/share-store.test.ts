/** Shares on the DynamoDB store against a real dynalite server: stored together, read back as made, never overwritten. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDynamoStore, ensureTable } from './dynamo-store'
import { type EmbeddedDynamo, startEmbeddedDynamo } from './embedded-dynamo'

let dynamo: EmbeddedDynamo
let store: ReturnType<typeof createDynamoStore>

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo({ port: 0 })
  await ensureTable(dynamo.client, 'homecoming-shares-test')
  store = createDynamoStore(dynamo.client, 'homecoming-shares-test')
})

afterAll(async () => {
  await dynamo?.close()
})

describe('saveShare / getShare', () => {
  const scenario = { title: 'T', id: 'x', groups: [{ id: 'g', stock: 10 }] }
  const snapshot = { engineVersion: '3.0.0', seed: 1, iterations: 100, metrics: { totalCost: { mean: 1.5e9, p05: null } } }

  it('reads the scenario and its snapshot back exactly as made (key order too)', async () => {
    const { id, created } = await store.saveShare({ scenario, snapshot })
    expect(created).toBe(true)
    const read = await store.getShare(id)
    expect(JSON.stringify(read?.scenario)).toBe(JSON.stringify(scenario))
    expect(read?.snapshot).toEqual(snapshot)
    expect(read?.savedAt).toMatch(/^\d{4}-\d\d-\d\dT/)
  })

  it('never overwrites: the same share again keeps the first save; another snapshot is another share', async () => {
    const first = await store.saveShare({ scenario, snapshot })
    const before = await store.getShare(first.id)
    const again = await store.saveShare({ scenario: { ...scenario }, snapshot: { ...snapshot } })
    expect(again).toEqual({ id: first.id, created: false })
    expect((await store.getShare(first.id))?.savedAt).toBe(before?.savedAt)
    const other = await store.saveShare({ scenario, snapshot: { ...snapshot, engineVersion: '3.1.0' } })
    expect(other.id).not.toBe(first.id)
    expect(other.created).toBe(true)
    expect(await store.getShare('missing')).toBeUndefined()
  })

  it('holds a large snapshot compressed within one item', async () => {
    const big = { ...snapshot, monthly: Array.from({ length: 20_000 }, (_, i) => ({ t: i, mean: i * 1.5 })) }
    const { id } = await store.saveShare({ scenario, snapshot: big })
    expect((await store.getShare(id))?.snapshot).toEqual(big)
  })
})
