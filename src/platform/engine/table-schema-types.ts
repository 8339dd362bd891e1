/**
 * DuckDB type of a Frictionless Table Schema field, with the SNDS conventions: years, months and
 * dates written in a non-ISO format stay character codes. Shared by the synthetic generator and
 * ingestion so a loaded table and a synthetic one have the same Parquet types.
 */
export interface TypedField {
  type: string;
  format?: string | null | undefined;
  length?: string | number | null | undefined;
}

export function duckType(f: TypedField): string {
  const len = Number(String(f.length ?? '').split(',')[0]) || 0;
  switch (f.type) {
    case 'integer':
      return len > 9 ? 'BIGINT' : 'INTEGER';
    case 'number':
      return 'DOUBLE';
    case 'date':
      return f.format && f.format !== 'default' ? 'VARCHAR' : 'DATE';
    case 'datetime':
      return 'TIMESTAMP';
    case 'boolean':
      return 'BOOLEAN';
    default:
      return 'VARCHAR';
  }
}
