/**
 * What a load of one catalogue table does with each column — plan de chargement: a person
 * identifier (NIR) is checked and replaced by its keyed pseudonym, any other direct identifier
 * (names, addresses) is dropped, every other column is typed and checked against the table's
 * Table Schema (type, length, required, nomenclature, date range).
 */
import type { FrictionlessTableSchema } from '../catalog/service.js';
import { duckType } from '../platform/engine/table-schema-types.js';

export type ColumnKind = 'nir' | 'drop' | 'value';

export interface PlannedColumn {
  name: string;
  kind: ColumnKind;
  /** Table Schema type (string, integer, number, date, datetime, boolean, year, yearmonth). */
  type: string;
  format: string | null;
  /** Output type in the release (same conventions as the synthetic generator). */
  duckType: string;
  maxLength: number | null;
  required: boolean;
  nomenclature: { name: string; column: string | null } | null;
}

export interface LoadPlan {
  table: string;
  columns: PlannedColumn[];
  primaryKey: string[];
  /** Values that mean "missing" besides the empty string. */
  missingValues: string[];
}

/** Person identifiers carried by a NIR: the pseudonymised NIR column names of the SNDS. */
const nirColumn = /(^|_)(NIR|IDT_ANO)(_|$)/i;

interface SchemaFieldLike {
  name: string;
  type?: unknown;
  format?: unknown;
  length?: unknown;
  nomenclature?: unknown;
  sensitivity?: unknown;
  constraints?: unknown;
}

export function planLoad(schema: FrictionlessTableSchema): LoadPlan {
  const primaryKey = schema.primaryKey ?? [];
  const columns = (schema.fields as SchemaFieldLike[]).map((f): PlannedColumn => {
    const type = typeof f.type === 'string' ? f.type : 'string';
    const format = typeof f.format === 'string' && f.format !== 'default' ? f.format : null;
    const constraints = (f.constraints && typeof f.constraints === 'object' ? f.constraints : {}) as { required?: unknown; maxLength?: unknown };
    const length = Number(String(f.length ?? '').split(',')[0]);
    const maxLength = typeof constraints.maxLength === 'number' ? constraints.maxLength : type === 'string' && length > 0 ? length : null;
    const nomenclature = typeof f.nomenclature === 'string' && f.nomenclature !== '-' && f.nomenclature.trim() !== '' ? parseNomenclature(f.nomenclature) : null;
    const direct = f.sensitivity === 'direct_identifier';
    return {
      name: f.name,
      kind: direct ? (nirColumn.test(f.name) ? 'nir' : 'drop') : 'value',
      type,
      format,
      duckType: direct && nirColumn.test(f.name) ? 'VARCHAR' : duckType({ type, format, length: String(f.length ?? '') }),
      maxLength,
      required: constraints.required === true || primaryKey.includes(f.name),
      nomenclature,
    };
  });
  return { table: schema.name, columns, primaryKey, missingValues: schema.missingValues.filter((v) => v !== '') };
}

function parseNomenclature(value: string): { name: string; column: string | null } {
  const [name, column] = value.split(':');
  return { name: name!.trim(), column: column?.trim() || null };
}
