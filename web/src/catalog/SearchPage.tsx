/**
 * Catalogue search (CAT search): as-you-type, ranked hits of every kind with the matched words
 * marked, facets as checkboxes. Every state lives in the URL, so a search can be shared.
 */
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Card } from '@codegouvfr/react-dsfr/Card';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { SearchBar } from '@codegouvfr/react-dsfr/SearchBar';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, withQuery } from '../api.ts';
import { useI18n, type MessageKey } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { AccessBadge } from './common.tsx';
import { Highlight } from './Highlight.tsx';
import { useDebouncedParam } from './useDebouncedParam.ts';
import { catalogPaths, hitPath } from './links.ts';
import type { DatasetSummary, Facet, SearchResult } from './types.ts';

/** Facets the API filters on, one value each; `kind` narrows to one type of object. */
const facetNames = ['kind', 'producer', 'product', 'theme', 'access'] as const;
type FacetName = (typeof facetNames)[number];
const DEBOUNCE_MS = 250;

export function SearchPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const { value: rawQ, draft, setDraft } = useDebouncedParam('q', DEBOUNCE_MS);
  const q = rawQ.trim();

  const filters = Object.fromEntries(facetNames.map((f) => [f, params.get(f) ?? undefined])) as Record<FacetName, string | undefined>;
  const search = useQuery({
    queryKey: ['catalog', 'search', q, filters],
    queryFn: () => api.get<SearchResult>(withQuery('/api/catalog/search', { q, ...filters, limit: 50 })),
    enabled: q.length > 0,
    placeholderData: keepPreviousData,
  });

  function toggle(facet: FacetName, value: string) {
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (next.get(facet) === value) next.delete(facet);
      else next.set(facet, value);
      return next;
    });
  }

  return (
    <>
      <h1>{t('catalog.title')}</h1>
      <p className="fr-text--lead">{t('catalog.lead')}</p>
      <SearchBar
        big
        label={t('catalog.searchLabel')}
        onButtonClick={(text) => setDraft(text)}
        renderInput={({ className, id, placeholder, type }) => (
          <input
            className={className}
            id={id}
            name="q"
            type={type}
            placeholder={placeholder}
            value={draft}
            autoComplete="off"
            aria-describedby="catalog-search-status"
            onChange={(e) => setDraft(e.target.value)}
          />
        )}
      />
      <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm fr-btns-group--icon-left fr-mt-2w">
        <li>
          <Button priority="tertiary" iconId="fr-icon-git-merge-line" linkProps={{ to: catalogPaths.graph() }}>
            {t('catalog.graph')}
          </Button>
        </li>
        <li>
          <Button priority="tertiary" iconId="fr-icon-code-s-slash-line" linkProps={{ to: catalogPaths.programs }}>
            {t('catalog.programs')}
          </Button>
        </li>
      </ul>

      <ErrorAlert error={search.error} />
      {q ? (
        <div className="fr-grid-row fr-grid-row--gutters fr-mt-2w">
          <aside className="fr-col-12 fr-col-md-3" aria-label={t('catalog.facets')}>
            {search.data &&
              facetNames.map((f) => <FacetGroup key={f} name={f} facet={search.data.facets[f]} selected={filters[f]} onToggle={(v) => toggle(f, v)} />)}
          </aside>
          <section className="fr-col-12 fr-col-md-9" aria-busy={search.isFetching}>
            <p id="catalog-search-status" role="status">
              {search.data ? t('catalog.resultCount', { n: search.data.total, q: search.data.query }) : t('app.loading')}
            </p>
            <ol className="hdh-hits">
              {search.data?.hits.map((hit) => (
                <li key={`${hit.kind}:${hit.ref}`} className="fr-mb-2w">
                  <Badge as="span" small noIcon severity={hit.kind === 'dataset' ? 'success' : hit.kind === 'table' ? 'info' : 'new'} className="fr-mr-1w">
                    {t(`catalog.kind.${hit.kind}`)}
                  </Badge>
                  <Link to={hitPath(hit)} className="fr-link fr-text--bold">
                    {hit.title}
                  </Link>
                  {hit.product && <span className="fr-text--sm fr-ml-1w">{hit.product}</span>}
                  {!sameText(hit.subtitle, hit.highlight.map((x) => x.text).join('')) && <p className="fr-text--sm fr-mb-0">{hit.subtitle}</p>}
                  {hit.highlight.length > 0 && (
                    <p className="fr-text--sm fr-mb-0 hdh-highlight">
                      <Highlight segments={hit.highlight} />
                    </p>
                  )}
                </li>
              ))}
            </ol>
          </section>
        </div>
      ) : (
        <DatasetCards />
      )}
    </>
  );
}

function FacetGroup({ name, facet, selected, onToggle }: { name: FacetName; facet: Facet[]; selected: string | undefined; onToggle: (value: string) => void }) {
  const { t } = useI18n();
  if (facet.length === 0) return null;
  const label = (f: Facet) => (name === 'kind' ? t(`catalog.kind.${f.value}` as MessageKey) : name === 'access' ? t(`catalog.access.${f.value}` as MessageKey) : f.label);
  return (
    <Checkbox
      small
      legend={t(`catalog.facet.${name}`)}
      options={facet.map((f) => ({
        label: `${label(f)} (${f.count})`,
        nativeInputProps: { name: `facet-${name}`, value: f.value, checked: selected === f.value, onChange: () => onToggle(f.value) },
      }))}
    />
  );
}

/** With no query: the datasets, as a starting point. */
function DatasetCards() {
  const { t } = useI18n();
  const datasets = useQuery({ queryKey: ['catalog', 'datasets'], queryFn: () => api.get<DatasetSummary[]>('/api/catalog/datasets') });
  return (
    <>
      <h2 className="fr-mt-4w">{t('catalog.datasets')}</h2>
      <ErrorAlert error={datasets.error} />
      <div className="fr-grid-row fr-grid-row--gutters">
        {datasets.data?.map((d) => (
          <div key={d.slug} className="fr-col-12 fr-col-md-6 fr-col-lg-4">
            <Card
              title={d.title}
              desc={d.description.length > 220 ? `${d.description.slice(0, 220)}…` : d.description}
              linkProps={{ to: catalogPaths.dataset(d.slug) }}
              start={<AccessBadge value={d.accessRights} />}
              detail={`${d.producer.name} · ${t('catalog.tableCount', { n: d.tableCount })}`}
              enlargeLink
              size="small"
            />
          </div>
        ))}
      </div>
    </>
  );
}

/** The highlight often quotes the subtitle (cut with an ellipsis): showing both says it twice. */
function sameText(subtitle: string, highlighted: string): boolean {
  const norm = (x: string) => x.replace(/[…\s]+/g, ' ').trim();
  const a = norm(subtitle);
  const b = norm(highlighted);
  return a === b || (b.length > 0 && a.includes(b)) || (a.length > 0 && b.includes(a));
}
