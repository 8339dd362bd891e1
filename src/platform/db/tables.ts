/**
 * The metadata store's tables, as one Kysely interface. Each domain adds its own tables by
 * declaration merging from its `repo.ts` (`declare module '../platform/db/tables.js'`), so
 * platform/ never imports a domain and each domain owns the shape of its rows.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface Tables {}
