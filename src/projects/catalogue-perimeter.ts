/**
 * The perimeter — périmètre — checked against the hub's live catalogue: a requested table must be
 * in the catalogue (a yearly PMSI name such as T_MCO19B finds its template), each column among its
 * variables, and its dataset is the table's product.
 */
import type { CatalogService } from '../catalog/service.js';
import { HdhError } from '../platform/errors.js';
import type { PerimeterCatalogue } from './perimeter.js';

export class CataloguePerimeter implements PerimeterCatalogue {
  constructor(private readonly catalog: CatalogService) {}

  private async table(name: string) {
    try {
      return await this.catalog.getTable(name);
    } catch (err) {
      if (err instanceof HdhError && err.status === 404) return null;
      throw err;
    }
  }

  async tableExists(name: string): Promise<boolean> {
    return (await this.table(name)) !== null;
  }

  async columnsOf(table: string): Promise<string[]> {
    return (await this.table(table))?.variables.map((v) => v.name) ?? [];
  }

  async datasetOf(table: string): Promise<string | null> {
    return (await this.table(table))?.product ?? null;
  }
}
