/**
 * Statistical disclosure control of the output airlock (contrôle du secret statistique du sas de
 * sortie): pure functions, no I/O. ADR 0014 describes the rules, their defaults and limits.
 */
import './messages.js';

export * from './types.js';
export { checkTable } from './check.js';
export { inferColumns } from './infer.js';
export { defaultPotentialIdentifiers, defaultSettings, sdcOverrideSchema, sdcSettingsSchema, strictest } from './settings.js';
export { parseCsv, toReleasedCsv } from './csv.js';
export { isSuppressionMarker, isTotalLabel, numberOf } from './cells.js';
export { proposeFix, type ProposedFix } from './fix.js';
export { readableReport } from './report.js';
