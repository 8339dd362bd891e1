/** What the workspace holds: the extract of the perimeter (tables and row counts) and the engine's limits. */
import { useI18n } from '../i18n.ts';
import type { Workspace } from './types.ts';

export function WorkspaceSummary({ workspace }: { workspace: Workspace }) {
  const { t, lang, formatDateTime } = useI18n();
  const { extract, limits } = workspace;
  const number = (n: number) => n.toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB');
  return (
    <section className="fr-mb-3w" aria-labelledby="extract-title">
      <details className="hdh-panel hdh-workspace-panel" id="workspace-summary" open={workspace.status !== 'open'}>
        <summary>
          <h2 id="extract-title" className="fr-h6 hdh-inline">{t('ws.extract.title')}</h2>{' '}
          {extract && <span className="fr-text--sm">{t('ws.extract.short', { version: extract.version, tables: extract.tables.length, rows: number(extract.tables.reduce((sum, tb) => sum + tb.rows, 0)) })}</span>}
        </summary>
        {extract ? (
          <>
            <p className="fr-text--sm fr-mt-1w">
              {t('ws.extract.meta', { version: extract.version, at: formatDateTime(extract.createdAt), key: extract.keyVersion })}{' '}
              {extract.oppositionApplied === false ? t('ws.extract.oppositionNotApplied') : t('ws.extract.excluded', { n: number(extract.excludedByOpposition) })}
            </p>
            <div className="fr-table fr-table--bordered fr-table--sm">
              <table id="extract-tables">
                <caption>{t('ws.extract.tables')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('ws.extract.table')}</th>
                    <th scope="col" className="hdh-num">{t('ws.extract.rows')}</th>
                    <th scope="col">{t('ws.extract.columns')}</th>
                  </tr>
                </thead>
                <tbody>
                  {extract.tables.map((tb) => (
                    <tr key={tb.name}>
                      <th scope="row"><code>{tb.name}</code></th>
                      <td className="hdh-num">{number(tb.rows)}</td>
                      <td className="fr-text--xs">{tb.columns.map((c) => c.name).join(', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : (
          <p className="fr-text--sm fr-mt-1w">{t('ws.extract.none')}</p>
        )}
        <p className="fr-text--sm fr-mb-0" id="workspace-limits">
          {t('ws.limits.long', { rows: number(limits.displayRows), seconds: Math.round(limits.timeoutMs / 1000), memory: number(limits.memoryMb) })}
        </p>
      </details>
    </section>
  );
}
