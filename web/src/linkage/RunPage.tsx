/**
 * One linkage run and its quality report. Probabilistic: key figures, the weight histogram
 * (ECharts, loaded on demand, with its values in a table for keyboard and screen-reader users),
 * m and u per comparison level, blocking rules and their EM sessions, time per step.
 * Deterministic: matched and unmatched people per side. Refreshes while the run is not over.
 */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useMemo } from 'react';
import { useParams } from 'react-router';
import { api } from '../api.ts';
import { useI18n, type MessageKey } from '../i18n.ts';
import { BackLink } from '../shell/BackLink.tsx';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { StatusBadge } from './LinkagePage.tsx';
import { linkagePaths, type DeterministicReport, type ProbabilisticReport, type RunView } from './types.ts';

const WeightHistogram = lazy(() => import('./WeightHistogram.tsx').then((m) => ({ default: m.WeightHistogram })));

const percent = (x: number) => `${(100 * x).toFixed(2)} %`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function RunPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const run = useQuery({
    queryKey: ['linkage', 'run', id],
    queryFn: () => api.get<RunView>(`/api/admin/linkage/runs/${encodeURIComponent(id)}`),
    refetchInterval: (q) => (q.state.data && (q.state.data.status === 'queued' || q.state.data.status === 'running') ? 2000 : false),
  });
  const r = run.data;
  return (
    <>
      <BackLink to={linkagePaths.runs}>{t('linkage.back')}</BackLink>
      <h1>
        {t('linkage.run', { id: id.slice(0, 8) })} {r && <StatusBadge status={r.status} />}
      </h1>
      <ErrorAlert error={run.error} />
      {r && <p>{r.description}</p>}
      {r && (r.status === 'queued' || r.status === 'running') && <Alert small severity="info" description={t('linkage.waiting')} className="fr-mb-3w" />}
      {r?.error && <Alert severity="error" title={t('linkage.failed')} description={r.error.message} className="fr-mb-3w" />}
      {r?.report?.kind === 'probabilistic' && <ProbabilisticView report={r.report} />}
      {r?.report?.kind === 'deterministic' && <DeterministicView report={r.report} />}
    </>
  );
}

function ProbabilisticView({ report }: { report: ProbabilisticReport }) {
  const { t } = useI18n();
  const labels = useMemo(() => ({ weight: t('linkage.weight'), pairs: t('linkage.allPairs'), links: t('linkage.keptLinks') }), [t]);
  const excluded = report.reference.nirExcluded;
  const figures: [MessageKey, string][] = [
    ['linkage.links', report.links.toLocaleString()],
    ['linkage.matchRate', percent(report.matchRate)],
    ['linkage.referenceMatchRate', percent(report.referenceMatchRate)],
    ['linkage.estimatedPrecision', percent(report.estimatedPrecision)],
    ['linkage.estimatedRecall', percent(report.estimatedRecall)],
    ['linkage.referencePersons', report.reference.persons.toLocaleString()],
    ['linkage.sourceRecords', report.source.records.toLocaleString()],
    ['linkage.pairsScored', report.pairsScored.toLocaleString()],
    ['linkage.throughput', Math.round(report.pairsPerSecondPerCore).toLocaleString()],
    ['linkage.duration', seconds(report.durationMs.total)],
  ];
  return (
    <>
      <p>{t('linkage.release', { name: report.release.name, version: report.release.version, table: report.release.table })}</p>
      <h2>{t('linkage.summary')}</h2>
      <Table fixed={false} data={figures.map(([k, v]) => [t(k), v])} />
      {excluded.missing + excluded.length + excluded.characters + excluded.key > 0 && <Alert small severity="warning" description={t('linkage.nirExcluded', excluded)} className="fr-mb-3w" />}
      <p>
        {t('linkage.parameters', {
          threshold: report.settings.threshold,
          weight: report.settings.thresholdWeight.toFixed(2),
          u: t(`linkage.u.${report.settings.uEstimation}` as MessageKey),
          tf: report.settings.termFrequency ? t('linkage.yes') : t('linkage.no'),
          key: `${report.key.id} v${report.key.version}`,
        })}
      </p>

      <h2>{t('linkage.histogram')}</h2>
      <p>{t('linkage.histogramHelp')}</p>
      <Suspense fallback={<p>{t('app.loading')}</p>}>
        <WeightHistogram bins={report.histogram} thresholdWeight={report.settings.thresholdWeight} labels={labels} title={t('linkage.histogram')} />
      </Suspense>
      <details className="fr-mb-4w">
        <summary>{t('linkage.histogramTable')}</summary>
        <Table fixed={false} headers={[t('linkage.weight'), t('linkage.allPairs'), t('linkage.keptLinks')]} data={report.histogram.map((b) => [`[${b.from}, ${b.from + 1})`, b.pairs.toLocaleString(), b.links.toLocaleString()])} />
      </details>

      <h2>{t('linkage.model')}</h2>
      <p>{t('linkage.lambda', { lambda: report.model.lambda.toExponential(3), patterns: report.model.patterns })}</p>
      <Table
        fixed={false}
        headers={[t('linkage.comparison'), t('linkage.level'), t('linkage.m'), t('linkage.u'), t('linkage.levelWeight'), t('linkage.levelPairs')]}
        data={report.model.comparisons.flatMap((c) =>
          c.levels.filter((l) => l.key !== 'null').map((l) => [c.key, l.key, l.m.toFixed(4), l.u.toExponential(2), `${l.weight >= 0 ? '+' : ''}${l.weight.toFixed(2)}`, l.pairs.toLocaleString()]),
        )}
      />

      <h2>{t('linkage.blocking')}</h2>
      <Table
        fixed={false}
        headers={[t('linkage.rule'), t('linkage.rulePairs'), t('linkage.sessionLambda'), t('linkage.iterations')]}
        data={report.blocking.map((b) => {
          const session = report.model.sessions.find((s) => s.rule === b.rule);
          return [b.rule, b.pairs.toLocaleString(), session ? percent(session.lambda) : '', session ? `${session.iterations}${session.converged ? '' : ' (max)'}` : ''];
        })}
      />

      <h2>{t('linkage.phases')}</h2>
      <Table fixed={false} headers={[t('linkage.phase'), t('linkage.duration')]} data={(Object.keys(report.durationMs) as (keyof ProbabilisticReport['durationMs'])[]).map((k) => [t(`linkage.phase.${k}` as MessageKey), seconds(report.durationMs[k])])} />
    </>
  );
}

function DeterministicView({ report }: { report: DeterministicReport }) {
  const { t } = useI18n();
  return (
    <Table
      fixed={false}
      headers={[t('linkage.side'), t('linkage.rows'), t('linkage.nullRows'), t('linkage.persons'), t('linkage.matched'), t('linkage.unmatched'), t('linkage.matchRate'), t('linkage.matchedRows')]}
      data={[report.left, report.right].map((s) => [
        `${s.release} v${s.version} ${s.table}.${s.column}`,
        s.rows.toLocaleString(),
        s.nullRows.toLocaleString(),
        s.persons.toLocaleString(),
        s.matchedPersons.toLocaleString(),
        s.unmatchedPersons.toLocaleString(),
        percent(s.matchRate),
        s.matchedRows.toLocaleString(),
      ])}
    />
  );
}
