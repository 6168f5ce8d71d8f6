/** A store on a real DynamoDB-protocol server (dynalite) for one test file: started before its tests, closed after. */
import { afterAll, beforeAll } from 'vitest'
import { createDynamoStore, ensureTable } from './dynamo-store'
import { startEmbeddedDynamo, type EmbeddedDynamo } from './embedded-dynamo'
import type { Store } from './store'

export interface EmbeddedStore {
  /** The server (for reading its table directly). */
  readonly dynamo: EmbeddedDynamo
  readonly store: Store
}

/** Call at the top of a test file; read the fields inside tests, once `beforeAll` has run. */
export const embeddedStoreForTests = (table: string): EmbeddedStore => {
  const held = {} as { dynamo: EmbeddedDynamo; store: Store }
  beforeAll(async () => {
    held.dynamo = await startEmbeddedDynamo()
    await ensureTable(held.dynamo.client, table)
    held.store = createDynamoStore(held.dynamo.client, table)
  })
  afterAll(() => held.dynamo?.close())
  return held
}
