/** A shard's summary as the store and Lambda payloads carry it: compressed, since sketches are sparse and repetitive. */
import { gunzipSync, gzipSync } from 'node:zlib'
import { decodeShardSummary, encodeShardSummary } from '../../models/engine/shard-task'
import { mergeShardSummaries, type ShardSummary } from '../../models/engine/summary'

/** Items stay far below DynamoDB's 400 KB. */
export const packShard = (summary: ShardSummary): string => gzipSync(encodeShardSummary(summary)).toString('base64')

export const unpackShard = (payload: string): ShardSummary => decodeShardSummary(gunzipSync(Buffer.from(payload, 'base64')).toString('utf8'))

/** A run's shards as stored (packed), merged: what its report is made from. */
export const mergePackedShards = (payloads: readonly string[]): ShardSummary => mergeShardSummaries(payloads.map(unpackShard))
