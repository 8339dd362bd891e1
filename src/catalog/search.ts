/**
 * Catalogue search — recherche: French full text over datasets, tables, variables, nomenclatures
 * and their code labels. Accent- and case-insensitive and stemmed ("décès", "déces", "deces" meet),
 * every word a prefix (results as you type), names first (an exact or prefix match of a table or
 * variable name outranks any text match), facets, and highlighted matches.
 */
import type { Db, Executor } from '../platform/db/database.js';
import { currentVersion } from './repo.js';
import { highlight, queryWords } from './highlight.js';
import { searchResultView, type SearchQuery, type SearchResult } from './schema.js';
import { prefixQuery, searchDocuments, type RawHit } from './search-repo.js';

const CODE_COUNT_CAP = 1000;
const allKinds: RawHit['kind'][] = ['dataset', 'table', 'variable', 'nomenclature', 'code'];
const accessLabels: Record<string, string> = { public: 'Public', restricted: 'Accès restreint', non_public: 'Non public' };

export async function searchCatalogue(db: Executor, query: SearchQuery): Promise<SearchResult> {
  const started = performance.now();
  const words = queryWords(query.q).slice(0, 8);
  const empty = { kind: [], producer: [], product: [], theme: [], access: [] };
  if (words.length === 0) return { query: query.q, total: 0, tookMs: 0, hits: [], facets: empty };
  const tsquery = prefixQuery(words);
  // Names are matched as typed (BEN_NIR…), underscores kept: escape LIKE's own wildcards.
  const nameLike = `${query.q.trim().replace(/[%\\]/g, '\\$&').replace(/_/g, '\\_')}%`;
  const filters = { producer: query.producer, product: query.product, theme: query.theme, access: query.access };
  const kinds = new Set(query.kind ? [query.kind] : allKinds);
  const { hits: raw, facets: facetRows } = await searchDocuments(db, { tsquery, nameLike, filters, kinds, limit: query.limit, codeCap: CODE_COUNT_CAP });
  const hits = raw
    .sort((a, b) => b.score - a.score || a.title.localeCompare(b.title) || a.ref.localeCompare(b.ref))
    .slice(0, query.limit)
    .map((h) => ({ kind: h.kind, ref: h.ref, title: h.title, subtitle: h.subtitle, product: h.product, score: Math.round(h.score * 1000) / 1000, highlight: highlight(h.text || h.title, query.q) }));
  const facet = (name: string) =>
    facetRows
      .filter((r) => r.facet === name && r.count > 0)
      .map((r) => ({ value: r.value, label: name === 'access' ? (accessLabels[r.value] ?? r.value) : r.label, count: r.count }))
      .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  const kindFacet = facet('kind');
  return {
    query: query.q,
    total: kindFacet.filter((k) => kinds.has(k.value as RawHit['kind'])).reduce((n, k) => n + k.count, 0),
    tookMs: Math.round((performance.now() - started) * 10) / 10,
    hits,
    facets: { kind: kindFacet, producer: facet('producer'), product: facet('product'), theme: facet('theme'), access: facet('access') },
  };
}

const CACHE_SIZE = 1000;

/** A search result as first computed, and as a repeat of it is answered (`tookMs` 0: no work was done). */
interface Cached {
  result: SearchResult;
  repeat: SearchResult;
}

/** Response bodies of the results the cache holds, serialised once (see searchResultJson). */
const bodies = new WeakMap<SearchResult, string>();

/**
 * The JSON body of a search result, checked against searchResultView (unknown fields dropped) as
 * the route's response schema would: a result from the cache was checked and serialised once,
 * so a repeated search costs no validation and no JSON.stringify of every hit.
 */
export function searchResultJson(result: SearchResult): string {
  let body = bodies.get(result);
  if (body === undefined) {
    body = JSON.stringify(searchResultView.parse(result));
    bodies.set(result, body);
  }
  return body;
}

/**
 * Search with a small LRU cache of recent results keyed by the catalogue version: type-ahead sends
 * the same prefixes again and again, and any change (import or edit) makes a new version. The
 * version itself is read from the store at most once a second (a cached search then touches no
 * database); a change made by this process is seen at once, one made by another process sharing
 * the store within that second. Concurrent identical searches share one run. A result returned
 * from the cache is shared: callers must not modify it.
 */
export class CatalogSearch {
  private readonly cache = new Map<string, Cached>();
  private readonly running = new Map<string, Promise<Cached>>();
  private known: { version: number; at: number } | null = null;
  private reading: Promise<number> | null = null;
  /** The newest version this process has written (perhaps not committed yet). */
  private expected = 0;
  constructor(
    private readonly db: Db,
    /** How long the catalogue version read from the store is trusted: changes made by another process show within it. */
    private readonly versionTtlMs = 1000,
  ) {}

  /** Called when this process writes a version: searches re-read the store until they see it. */
  expectVersion(version: number): void {
    this.expected = Math.max(this.expected, version);
  }

  private async version(): Promise<number> {
    const now = Date.now();
    if (this.known && this.known.version >= this.expected && now - this.known.at < this.versionTtlMs) return this.known.version;
    // One read for all the searches waiting on it, not one each…
    this.reading ??= this.readVersion(now).finally(() => {
      this.reading = null;
    });
    const version = await this.reading;
    // …unless that read began before this process's latest write and did not see it.
    return version >= this.expected ? version : this.readVersion(Date.now());
  }

  private async readVersion(at: number): Promise<number> {
    const version = await currentVersion(this.db);
    this.known = { version, at };
    return version;
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const { entry, fresh } = await this.lookup(query);
    return fresh ? entry.result : entry.repeat;
  }

  private async lookup(query: SearchQuery): Promise<{ entry: Cached; fresh: boolean }> {
    const key = `${await this.version()}|${JSON.stringify(query)}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return { entry: hit, fresh: false };
    }
    const pending = this.running.get(key);
    if (pending) return { entry: await pending, fresh: false };
    const run = this.compute(key, query);
    this.running.set(key, run);
    try {
      return { entry: await run, fresh: true };
    } finally {
      this.running.delete(key);
    }
  }

  private async compute(key: string, query: SearchQuery): Promise<Cached> {
    const result = searchResultView.parse(await searchCatalogue(this.db, query));
    const repeat = { ...result, tookMs: 0 };
    bodies.set(result, JSON.stringify(result));
    bodies.set(repeat, JSON.stringify(repeat));
    const entry = { result, repeat };
    this.cache.set(key, entry);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    return entry;
  }
}
