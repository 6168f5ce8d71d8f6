/** The engine's version: printed with every result, so a shared link says which model produced it. */
export const ENGINE_VERSION = '3.0.1'
