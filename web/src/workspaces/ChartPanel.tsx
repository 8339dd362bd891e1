/**
 * A chart from a result: pick the kind (bar, line, histogram, scatter) and the columns, then draw.
 * The chart reads the rows the grid may show (the display cap), fetched page by page.
 */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useMemo, useState } from 'react';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { chartKinds, chartOption, type ChartChoice, type ChartKind } from './chartOption.ts';
import { displayableRows, isNumericType } from './format.ts';
import type { ChartExporter } from './ResultChart.tsx';
import { workspaceApi, type QueryView, type RowsPage } from './types.ts';

const ResultChart = lazy(() => import('./ResultChart.tsx'));

const CHART_PAGE = 500;

async function allDisplayableRows(projectId: string, view: QueryView, shown: number): Promise<unknown[][]> {
  const rows: unknown[][] = view.rows ? view.rows.slice(0, shown) : [];
  while (rows.length < shown) {
    const page = await api.get<RowsPage>(workspaceApi(projectId).rows(view.id, rows.length, Math.min(CHART_PAGE, shown - rows.length)));
    if (page.rows.length === 0) break;
    rows.push(...page.rows);
  }
  return rows;
}

export function ChartPanel({ projectId, view, displayRows, onExporter }: { projectId: string; view: QueryView; displayRows: number; onExporter?: (exporter: ChartExporter | null) => void }) {
  const { t, lang } = useI18n();
  const columns = useMemo(() => view.columns ?? [], [view.columns]);
  const numeric = columns.filter((c) => isNumericType(c.type));
  const [kind, setKind] = useState<ChartKind>('bar');
  const [x, setX] = useState(columns[0]?.name ?? '');
  const [y, setY] = useState((numeric.at(-1) ?? columns.at(-1))?.name ?? '');
  const [bins, setBins] = useState(20);
  const [drawn, setDrawn] = useState<ChartChoice | null>(null);
  const shown = displayableRows(view, displayRows);
  const rows = useQuery({
    queryKey: ['workspace', projectId, 'chart-rows', view.id],
    queryFn: () => allDisplayableRows(projectId, view, shown),
    enabled: drawn !== null,
    staleTime: Infinity,
  });
  const spec = useMemo(() => (drawn && rows.data ? chartOption(columns, rows.data, drawn) : null), [drawn, rows.data, columns]);
  if (columns.length === 0) return null;
  // A histogram and a scatter plot need numbers on x; bars and lines take any column there.
  const xChoices = kind === 'histogram' || kind === 'scatter' ? numeric : columns;
  const needsY = kind !== 'histogram';
  const xValue = xChoices.some((c) => c.name === x) ? x : (xChoices[0]?.name ?? '');
  const yValue = numeric.some((c) => c.name === y) ? y : (numeric.at(-1)?.name ?? '');
  const ready = xValue !== '' && (!needsY || yValue !== '');

  return (
    <section className="hdh-chart-panel fr-mt-3w" aria-labelledby="chart-title">
      <h3 id="chart-title" className="fr-h6 fr-mb-1w">{t('ws.chart.title')}</h3>
      <form
        className="hdh-chart-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) setDrawn({ kind, x: xValue, y: yValue, bins });
        }}
      >
        <Select label={t('ws.chart.kind')} nativeSelectProps={{ id: 'chart-kind', value: kind, onChange: (e) => setKind(e.target.value as ChartKind) }}>
          {chartKinds.map((k) => (
            <option key={k} value={k}>
              {t(`ws.chart.kind.${k}`)}
            </option>
          ))}
        </Select>
        <Select label={t('ws.chart.x')} nativeSelectProps={{ id: 'chart-x', value: xValue, onChange: (e) => setX(e.target.value) }}>
          {xChoices.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name}
            </option>
          ))}
        </Select>
        {needsY ? (
          <Select label={t('ws.chart.y')} nativeSelectProps={{ id: 'chart-y', value: yValue, onChange: (e) => setY(e.target.value) }}>
            {numeric.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </Select>
        ) : (
          <Input label={t('ws.chart.bins')} nativeInputProps={{ id: 'chart-bins', type: 'number', min: 1, max: 100, value: bins, onChange: (e) => setBins(Number(e.target.value) || 20) }} />
        )}
        <Button type="submit" iconId="fr-icon-line-chart-line" disabled={!ready}>
          {t('ws.chart.draw')}
        </Button>
      </form>
      {!ready && <p className="fr-text--sm">{t('ws.chart.needsNumbers')}</p>}
      <ErrorAlert error={rows.error} />
      {drawn && rows.isPending && <p>{t('app.loading')}</p>}
      {spec && drawn && (
        <>
          <Suspense fallback={<p>{t('app.loading')}</p>}>
            <ResultChart option={spec.option} locale={lang} label={t(`ws.chart.label.${drawn.kind}`, { x: drawn.x, y: drawn.y })} onExporter={onExporter} />
          </Suspense>
          <p className="fr-text--sm" id="chart-summary">
            {t('ws.chart.summary', { points: spec.points, rows: rows.data?.length ?? 0 })}
            {spec.skipped > 0 && ` ${t('ws.chart.skipped', { n: spec.skipped })}`}
          </p>
        </>
      )}
    </section>
  );
}
