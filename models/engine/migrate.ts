/**
 * Version 1 scenario files to version 2 (docs/model.md): the fields that were renamed move, the rest carries
 * over as written. The meaning of some fields changed with the contract (removability is a share of people, the
 * waiting list is a queue, counselling can be charged per counselled case); docs/model.md lists each change.
 */

type Json = Record<string, unknown>

/** Paths of version 1 that version 2 names differently (a link's edits of a v1 scenario move with them). */
export const V1_PATH_RENAMES: Readonly<Record<string, string>> = {
  'programme.counselling.costPerCase': 'programme.counselling.costPerDepartingCase',
}

const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x)

/**
 * A version 1 file as a version 2 object, not yet validated: the caller checks it against the v2 schema. Works on
 * the file as written (plain numbers and all), so the page can show and edit a v1 file in its v2 form.
 */
export const migrateV1 = (v1: Json): Json => {
  const { schemaVersion: _version, programme, ...rest } = v1
  const migrated: Json = { schemaVersion: 2, migratedFrom: 1, ...rest }
  if (!isObject(programme) || !isObject(programme.counselling)) return { ...migrated, programme }
  const { costPerCase, ...counselling } = programme.counselling
  return {
    ...migrated,
    programme: {
      ...programme,
      counselling: { ...counselling, ...(costPerCase !== undefined ? { costPerDepartingCase: costPerCase } : {}) },
    },
  }
}

/** Any scenario JSON in the current format: a version 1 object migrated, anything else as it is. */
export const inCurrentFormat = (raw: unknown): unknown =>
  isObject(raw) && raw.schemaVersion === 1 ? migrateV1(raw) : raw
