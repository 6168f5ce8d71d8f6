/**
 * The parts of zod that the scenario schema uses, as named exports. The client build points `zod` here (see
 * web/assets.ts): zod's own `z` namespace carries its 40 locales into a browser bundle (~65 KB gzipped).
 */
export {
  array,
  boolean,
  discriminatedUnion,
  enum,
  literal,
  number,
  object,
  preprocess,
  record,
  strictObject,
  string,
  union,
  unknown,
  ZodError,
} from 'zod'
