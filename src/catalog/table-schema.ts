/**
 * A catalogue table back out as a Frictionless Table Schema, in the SNDS dictionary's dialect
 * (produit, champ, history, nomenclature, regle_gestion…) so that the export re-imports unchanged.
 */
import type { TableRow, VariableRow } from './repo.js';

export interface FrictionlessField {
  name: string;
  description: string;
  type: string;
  [key: string]: unknown;
}
export interface FrictionlessTableSchema {
  name: string;
  title: string;
  produit: string;
  fields: FrictionlessField[];
  missingValues: string[];
  primaryKey?: string[];
  foreignKeys?: { fields: string[]; reference: { resource: string; fields: string[] }; description?: string }[];
  [key: string]: unknown;
}

export function toTableSchema(
  t: TableRow,
  variables: VariableRow[],
  joins: { from_fields: string[]; to_table: string; to_fields: string[]; description: string }[],
): FrictionlessTableSchema {
  const fields = variables.map((v): FrictionlessField => ({
    ...v.extra,
    name: v.name,
    description: v.label,
    type: v.type,
    ...(v.format ? { format: v.format } : {}),
    ...(v.length !== null ? { length: v.length } : {}),
    nomenclature: v.nomenclature ? (v.nomenclature_column ? `${v.nomenclature}:${v.nomenclature_column}` : v.nomenclature) : '-',
    ...(v.constraints ? { constraints: v.constraints } : {}),
    dateCreated: v.date_created ?? '',
    dateDeleted: v.date_deleted ?? '',
    dateMissing: v.date_missing,
    regle_gestion: v.management_rule,
    observation: v.observation,
    ...(v.sensitivity ? { sensitivity: v.sensitivity } : {}),
  }));
  return {
    ...t.extra,
    name: t.name,
    title: t.title,
    produit: t.product,
    champ: t.scope,
    observation: t.description,
    history: { dateCreated: t.history.dateCreated ?? '', dateDeleted: t.history.dateDeleted ?? '', dateMissing: t.history.dateMissing },
    missingValues: t.missing_values,
    fields,
    ...(t.primary_key.length ? { primaryKey: t.primary_key } : {}),
    ...(joins.length
      ? { foreignKeys: joins.map((j) => ({ fields: j.from_fields, reference: { resource: j.to_table, fields: j.to_fields }, ...(j.description ? { description: j.description } : {}) })) }
      : {}),
  };
}
