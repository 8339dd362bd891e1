/** Where each catalogue object lives in the app, and where a search hit leads. */
import type { SearchHit } from './types.ts';

const enc = encodeURIComponent;

export const catalogPaths = {
  search: '/catalogue',
  dataset: (slug: string) => `/catalogue/datasets/${enc(slug)}`,
  table: (name: string) => `/catalogue/tables/${enc(name)}`,
  variable: (table: string, variable: string) => `/catalogue/tables/${enc(table)}/variables/${enc(variable)}`,
  nomenclature: (name: string, q?: string) => `/catalogue/nomenclatures/${enc(name)}${q ? `?q=${enc(q)}` : ''}`,
  graph: (dataset?: string) => (dataset ? `/catalogue/graph?dataset=${enc(dataset)}` : '/catalogue/graph'),
  programs: '/catalogue/programs',
  program: (slug: string) => `/catalogue/programs/${enc(slug)}`,
  proposals: '/catalogue/proposals',
};

/** The page a hit opens: refs are `slug`, `TABLE`, `TABLE.VARIABLE`, `NOMENCLATURE`, `NOMENCLATURE:CODE`. */
export function hitPath(hit: Pick<SearchHit, 'kind' | 'ref'>): string {
  switch (hit.kind) {
    case 'dataset':
      return catalogPaths.dataset(hit.ref);
    case 'table':
      return catalogPaths.table(hit.ref);
    case 'variable': {
      const dot = hit.ref.indexOf('.');
      return dot < 0 ? catalogPaths.table(hit.ref) : catalogPaths.variable(hit.ref.slice(0, dot), hit.ref.slice(dot + 1));
    }
    case 'nomenclature':
      return catalogPaths.nomenclature(hit.ref);
    case 'code': {
      const colon = hit.ref.indexOf(':');
      return colon < 0 ? catalogPaths.nomenclature(hit.ref) : catalogPaths.nomenclature(hit.ref.slice(0, colon), hit.ref.slice(colon + 1));
    }
  }
}
