/**
 * The editor and what comes out of it: run (button or Ctrl/Cmd-Enter), progress and cancel while
 * the engine works, then the result grid and the chart builder.
 */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { lazy, Suspense, useCallback, useState, type Ref } from 'react';
import { ReleaseRequestPanel } from '../airlock/ReleaseRequestPanel.tsx';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { ChartPanel } from './ChartPanel.tsx';
import type { ChartExporter } from './ResultChart.tsx';
import { ResultGrid } from './ResultGrid.tsx';
import type { SqlEditorHandle } from './SqlEditor.tsx';
import type { DictionaryTable, WorkspaceLimits } from './types.ts';
import { useQueryRun } from './useQueryRun.ts';

const SqlEditor = lazy(() => import('./SqlEditor.tsx'));

export interface WorkbenchProps {
  projectId: string;
  sql: string;
  setSql: (sql: string) => void;
  dictionary: readonly DictionaryTable[];
  limits: WorkspaceLimits;
  editorRef: Ref<SqlEditorHandle>;
}

export function QueryWorkbench({ projectId, sql, setSql, dictionary, limits, editorRef }: WorkbenchProps) {
  const { t } = useI18n();
  const query = useQueryRun(projectId);
  const { view } = query;
  // The drawn chart, as an image to attach to a release request (output airlock).
  const [chart, setChart] = useState<ChartExporter | null>(null);
  const onExporter = useCallback((exporter: ChartExporter | null) => setChart(() => exporter), []);
  const run = () => {
    if (sql.trim() !== '' && !query.running) query.run(sql);
  };
  const mac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

  return (
    <section aria-labelledby="editor-label">
      <h2 id="editor-label" className="fr-h5 fr-mb-1w">{t('ws.editor.title')}</h2>
      <p className="fr-hint-text fr-mb-1w" id="editor-hint">
        {t('ws.editor.hint', { keys: t(mac ? 'ws.editor.keysMac' : 'ws.editor.keysPc') })}
      </p>
      <Suspense fallback={<div className="hdh-sql-editor hdh-sql-editor--loading">{t('ws.editor.loading')}</div>}>
        <SqlEditor
          value={sql}
          onChange={setSql}
          onRun={run}
          dictionary={dictionary}
          label={t('ws.editor.label')}
          placeholder={t('ws.editor.placeholder')}
          id="sql-editor"
          describedBy="editor-hint"
          editorRef={editorRef}
        />
      </Suspense>
      <div className="hdh-run-bar fr-mt-1w">
        <Button iconId="fr-icon-play-line" onClick={run} disabled={query.running || sql.trim() === ''} id="run-query">
          {t('ws.editor.run')}
        </Button>
        {query.running && (
          <>
            <span className="hdh-progress" role="status" id="query-progress">
              {view?.progress !== undefined && view?.progress !== null ? (
                <>
                  <progress max={1} value={view.progress} aria-label={t('ws.query.progress')} />{' '}
                  {t('ws.query.running.percent', { percent: Math.round(view.progress * 100) })}
                </>
              ) : (
                <>
                  <progress aria-label={t('ws.query.progress')} /> {t('ws.query.running')}
                </>
              )}
            </span>
            {view && (
              <Button priority="secondary" iconId="fr-icon-close-circle-line" onClick={query.cancel} disabled={query.cancelling} id="cancel-query">
                {t('ws.query.cancel')}
              </Button>
            )}
          </>
        )}
        <span className="fr-text--xs hdh-muted">{t('ws.limits.short', { rows: limits.displayRows, seconds: Math.round(limits.timeoutMs / 1000) })}</span>
      </div>
      {query.error && (
        <div id="query-refused">
          <ErrorAlert error={query.error} />
        </div>
      )}
      {view?.status === 'failed' && (
        <div id="query-error">
          <Alert severity="error" small className="fr-mt-2w" description={view.error?.message ?? t('ws.query.failed')} />
        </div>
      )}
      {view?.status === 'cancelled' && (
        <div id="query-cancelled">
          <Alert severity="info" small className="fr-mt-2w" description={t('ws.query.cancelled')} />
        </div>
      )}
      {view?.status === 'done' && (
        <div className="fr-mt-2w">
          <ResultGrid key={view.id} projectId={projectId} view={view} displayRows={limits.displayRows} />
          <ChartPanel key={`chart-${view.id}`} projectId={projectId} view={view} displayRows={limits.displayRows} onExporter={onExporter} />
          <ReleaseRequestPanel key={`release-${view.id}`} projectId={projectId} view={view} chart={chart} />
        </div>
      )}
    </section>
  );
}
