/** Types for dynalite, which ships none: the options we use and the http.Server it returns. */
declare module 'dynalite' {
  import type { Server } from 'node:http'

  interface DynaliteOptions {
    /** LevelDB folder; in memory when absent. */
    path?: string
    /** Time a table stays CREATING (default 500 ms). */
    createTableMs?: number
    deleteTableMs?: number
    updateTableMs?: number
    maxItemSizeKb?: number
    ssl?: boolean
    verbose?: boolean
    debug?: boolean
  }

  /** Close also closes the LevelDB store once pending operations finish. */
  function dynalite(options?: DynaliteOptions): Server

  export = dynalite
}
