/** The embedded store runs in its own process, which says when it is lost and ends with its server. */
import { ListTablesCommand } from '@aws-sdk/client-dynamodb'
import { describe, expect, it } from 'vitest'
import { startEmbeddedDynamo } from './embedded-dynamo'

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('the embedded store process', () => {
  it('serves from another process; closed, that process is gone and nothing reads as lost', async () => {
    const dynamo = await startEmbeddedDynamo()
    expect(dynamo.pid).not.toBe(process.pid)
    expect((await dynamo.client.send(new ListTablesCommand({}))).TableNames).toEqual([])
    let lost: string | undefined
    void dynamo.lost.then((reason) => (lost = reason))
    await dynamo.close()
    expect(alive(dynamo.pid)).toBe(false)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(lost).toBeUndefined()
  })

  it('killed under its server: lost settles with the reason', async () => {
    const dynamo = await startEmbeddedDynamo()
    process.kill(dynamo.pid, 'SIGKILL')
    expect(await dynamo.lost).toBe('the embedded store stopped (exit code null)')
    await dynamo.close()
  })
})
