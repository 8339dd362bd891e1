/**
 * The catalogue as the extraction reads it: a table's columns, which of them identify a person
 * (sensitivity `direct_identifier`), and its joins. A yearly name (T_MCO19B) finds its template.
 */
import type { CatalogService } from '../catalog/service.js';
import { HdhError } from '../platform/errors.js';
import type { ExtractionCatalogue, TableFacts } from './plan.js';

export class CatalogueFacts implements ExtractionCatalogue {
  readonly #cache = new Map<string, Promise<TableFacts | null>>();
  constructor(private readonly catalog: Pick<CatalogService, 'getTable'>) {}

  describe(name: string): Promise<TableFacts | null> {
    let found = this.#cache.get(name);
    if (!found) {
      found = this.load(name);
      this.#cache.set(name, found);
    }
    return found;
  }

  private async load(name: string): Promise<TableFacts | null> {
    try {
      const t = await this.catalog.getTable(name);
      return {
        template: t.name,
        columns: t.variables.map((v) => v.name),
        identifiers: t.variables.filter((v) => v.sensitivity === 'direct_identifier').map((v) => v.name),
        joins: t.joins.map((j) => ({ fromTable: j.fromTable, fromFields: j.fromFields, toTable: j.toTable, toFields: j.toFields })),
      };
    } catch (err) {
      if (err instanceof HdhError && err.status === 404) return null;
      throw err;
    }
  }
}
