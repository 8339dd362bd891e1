/**
 * Join graph of the catalogue or of one dataset (`?dataset=slug`). Click a table to open it, a
 * join to see its keys; the list below the drawing offers the same for keyboard users.
 */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { productColours, unknownColour } from './colours.ts';
import { catalogPaths } from './links.ts';
import type { DatasetSummary, Graph, GraphEdge } from './types.ts';
import { BackLink } from '../shell/BackLink.tsx';

const JoinGraph = lazy(() => import('./JoinGraph.tsx').then((m) => ({ default: m.JoinGraph })));

export function GraphPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const dataset = params.get('dataset') ?? '';
  const selected = params.get('edge');
  const datasets = useQuery({ queryKey: ['catalog', 'datasets'], queryFn: () => api.get<DatasetSummary[]>('/api/catalog/datasets') });
  const graph = useQuery({
    queryKey: ['catalog', 'graph', dataset],
    queryFn: () => api.get<Graph>(dataset ? `/api/catalog/datasets/${encodeURIComponent(dataset)}/graph` : '/api/catalog/graph'),
  });
  const [showList, setShowList] = useState(false);

  const selectEdge = (id: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (id) next.set('edge', id);
        else next.delete('edge');
        return next;
      },
      { replace: true },
    );
  const edge = graph.data?.edges.find((e) => e.id === selected) ?? null;
  const colours = productColours(graph.data?.nodes.filter((n) => n.known).map((n) => n.product) ?? []);

  return (
    <>
      <BackLink to={catalogPaths.search}>{t('catalog.title')}</BackLink>
      <h1>{t('graph.title')}</h1>
      <p>{t('graph.help')}</p>
      <Select
        label={t('graph.scope')}
        nativeSelectProps={{ name: 'dataset', value: dataset, onChange: (e) => setParams(e.target.value ? { dataset: e.target.value } : {}) }}
      >
        <option value="">{t('graph.wholeCatalogue')}</option>
        {datasets.data?.map((d) => (
          <option key={d.slug} value={d.slug}>
            {d.title}
          </option>
        ))}
      </Select>
      <ErrorAlert error={graph.error} />
      {graph.data && (
        <>
          <ul className="hdh-legend" aria-label={t('graph.legend')}>
            {Object.entries(colours).map(([p, colour]) => (
              <li key={p}>
                <span className="hdh-swatch" style={{ backgroundColor: colour }} aria-hidden="true" /> {p}
              </li>
            ))}
            <li>
              <span className="hdh-swatch" style={{ backgroundColor: unknownColour }} aria-hidden="true" /> {t('graph.unknown')}
            </li>
          </ul>
          <div className="fr-grid-row fr-grid-row--gutters">
            <div className="fr-col-12 fr-col-lg-9">
              <Suspense fallback={<p>{t('app.loading')}</p>}>
                <JoinGraph
                  graph={graph.data}
                  selectedEdge={selected}
                  onNode={(id) => void navigate(catalogPaths.table(id))}
                  onEdge={selectEdge}
                  label={t('graph.drawing', { nodes: graph.data.nodes.length, edges: graph.data.edges.length })}
                />
              </Suspense>
            </div>
            <div className="fr-col-12 fr-col-lg-3">{edge ? <EdgePanel edge={edge} /> : <p className="fr-text--sm">{t('graph.pickEdge')}</p>}</div>
          </div>
          <Button priority="tertiary" size="small" className="fr-mt-2w" onClick={() => setShowList(!showList)} aria-expanded={showList}>
            {t('graph.list', { n: graph.data.edges.length })}
          </Button>
          {showList && (
            <ul className="fr-mt-1w">
              {graph.data.edges.map((e) => (
                <li key={e.id}>
                  <button type="button" className="fr-link" onClick={() => selectEdge(e.id)} aria-pressed={e.id === selected}>
                    {e.source} → {e.target} ({e.sourceFields.join(', ')})
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </>
  );
}

function EdgePanel({ edge }: { edge: GraphEdge }) {
  const { t } = useI18n();
  return (
    <div className="fr-p-2w hdh-panel" aria-live="polite" data-testid="edge-panel">
      <h2 className="fr-h6">{t('graph.join')}</h2>
      <p>
        <Link to={catalogPaths.table(edge.source)} className="fr-link">
          {edge.source}
        </Link>{' '}
        ({edge.sourceFields.join(', ')})
      </p>
      <p>
        →{' '}
        <Link to={catalogPaths.table(edge.target)} className="fr-link">
          {edge.target}
        </Link>{' '}
        ({edge.targetFields.join(', ')})
      </p>
      {edge.description && <p className="fr-text--sm">{edge.description}</p>}
    </div>
  );
}
