/** `import { z } from 'zod'` for the client bundle: the same schema builders, without the locales. */
export * as z from './zod-lite'
