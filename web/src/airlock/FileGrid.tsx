/**
 * A file's cells as the checks saw them: failing cells (✖) and cells to review (⚠) highlighted
 * by a class and a text marker carrying the finding's number; each marker is a link to that
 * finding in the list under the grid (rule, verdict, values), which links back to the cell. A
 * legend explains the markers, so that nothing is said by colour alone. Auxiliary columns
 * (contributors, largest contributions) are marked as never released.
 */
import { useMemo } from 'react';
import { useI18n, type MessageKey } from '../i18n.ts';
import { cellKey, cellText, countMarks, flagGrid, rowsToShow, valuesText, type Flag, type GridFlags } from './findings.ts';
import { SUPPRESSED, type ColumnSpec, type FileReport, type Finding, type Preview } from './types.ts';
import { VerdictBadge } from './StatusBadge.tsx';

const auxiliary = new Set(['units', 'top1', 'top2']);
const SHOWN_ROWS = 200;

export function FileGrid({ idPrefix, preview, report, columns, caption }: { idPrefix: string; preview: Preview; report: FileReport; columns: ColumnSpec[]; caption: string }) {
  const { t } = useI18n();
  const flags = useMemo(() => flagGrid(report.findings), [report.findings]);
  const rows = useMemo(() => rowsToShow(preview.rows.length, flags, SHOWN_ROWS), [preview.rows.length, flags]);
  const roles = new Map(columns.map((c) => [c.name, c.role]));
  const counts = countMarks(flags);
  const findingId = (n: number) => `${idPrefix}-finding-${n}`;
  const cellId = (row: number, column: number) => `${idPrefix}-cell-${row}-${column}`;

  return (
    <div className="hdh-sdc-grid-block">
      <p className="fr-text--sm fr-mb-1w" data-testid="grid-summary">
        {t('airlock.grid.summary', { rows: preview.rowCount, fail: counts.fail, review: counts.review })}
        {preview.rowCount > rows.length && ` ${t('airlock.grid.partial', { shown: rows.length })}`}
      </p>
      <Legend />
      {flags.table && (
        <p className={`fr-text--sm hdh-sdc-cell--${flags.table.mark}`} id={`${idPrefix}-table-flag`}>
          <Marker flag={flags.table} findingId={findingId} /> {t('airlock.grid.tableFlag', { rules: flags.table.rules.join(', ') })}
        </p>
      )}
      <div className="fr-table fr-table--bordered fr-table--no-caption hdh-sdc-grid">
        <table>
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col" className="hdh-rownum">
                <span className="fr-sr-only">{t('airlock.grid.row')}</span>#
              </th>
              {preview.header.map((name) => {
                const flag = flags.columns.get(name);
                const role = roles.get(name);
                return (
                  <th key={name} scope="col" className={flag ? `hdh-sdc-cell--${flag.mark}` : undefined}>
                    {name}
                    {role && <span className="hdh-sdc-aux"> ({t(`airlock.role.${role}`)}{auxiliary.has(role) ? `, ${t('airlock.grid.notReleased')}` : ''})</span>}
                    {flag && <Marker flag={flag} findingId={findingId} />}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const rowFlag = flags.rows.get(r);
              return (
                <tr key={r}>
                  <th scope="row" className={`hdh-rownum${rowFlag ? ` hdh-sdc-cell--${rowFlag.mark}` : ''}`}>
                    {r + 1}
                    {rowFlag && <Marker flag={rowFlag} findingId={findingId} />}
                  </th>
                  {(preview.rows[r] ?? []).map((cell, j) => {
                    const name = preview.header[j] ?? '';
                    const flag = flags.cells.get(cellKey(r, name));
                    const suppressed = cell === SUPPRESSED;
                    const classes = [typeof cell === 'number' ? 'hdh-sdc-num' : '', flag ? `hdh-sdc-cell--${flag.mark}` : '', suppressed ? 'hdh-sdc-cell--suppressed' : ''].filter(Boolean).join(' ');
                    return (
                      <td key={j} id={flag ? cellId(r, j) : undefined} className={classes || undefined} data-flag={flag?.mark}>
                        {suppressed ? (
                          <>
                            <span aria-hidden="true">{cell}</span>
                            <span className="fr-sr-only">{t('airlock.grid.suppressed')}</span>
                          </>
                        ) : (
                          cellText(cell)
                        )}
                        {flag && <Marker flag={flag} findingId={findingId} />}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <FindingList idPrefix={idPrefix} findings={report.findings} flags={flags} header={preview.header} findingId={findingId} cellId={cellId} />
    </div>
  );
}

/** ✖ 1, 3 — a link to the first finding; its accessible name says the verdict and the rules. */
function Marker({ flag, findingId }: { flag: Flag; findingId: (n: number) => string }) {
  const { t } = useI18n();
  const symbol = flag.mark === 'fail' ? '✖' : '⚠';
  const label = t(flag.mark === 'fail' ? 'airlock.grid.markerFail' : 'airlock.grid.markerReview', { rules: flag.rules.join(', '), findings: flag.findings.join(', ') });
  return (
    <a className="hdh-sdc-marker" href={`#${findingId(flag.findings[0] ?? 1)}`} title={label} aria-label={label} data-marker={flag.mark}>
      {symbol}
      {flag.findings.join(',')}
    </a>
  );
}

export function Legend() {
  const { t } = useI18n();
  return (
    <ul className="hdh-sdc-legend" aria-label={t('airlock.grid.legend')}>
      <li>
        <span className="hdh-sdc-swatch hdh-sdc-swatch--fail">✖1</span>
        {t('airlock.grid.legendFail')}
      </li>
      <li>
        <span className="hdh-sdc-swatch hdh-sdc-swatch--review">⚠2</span>
        {t('airlock.grid.legendReview')}
      </li>
      <li>
        <span className="hdh-sdc-swatch">{SUPPRESSED}</span>
        {t('airlock.grid.legendSuppressed')}
      </li>
      <li>
        <span className="hdh-sdc-swatch">∅</span>
        {t('airlock.grid.legendEmpty')}
      </li>
    </ul>
  );
}

/** The findings, numbered as the markers are; each names its place and links back to the cell. */
function FindingList({ idPrefix, findings, flags, header, findingId, cellId }: { idPrefix: string; findings: Finding[]; flags: GridFlags; header: string[]; findingId: (n: number) => string; cellId: (row: number, column: number) => string }) {
  const { t } = useI18n();
  if (findings.length === 0) return <p className="fr-text--sm" id={`${idPrefix}-no-findings`}>{t('airlock.grid.noFindings')}</p>;
  return (
    <div className="fr-table fr-table--bordered hdh-sdc-findings">
      <table id={`${idPrefix}-findings`}>
        <caption className="fr-h6">{t('airlock.findings.title')}</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t('airlock.findings.rule')}</th>
            <th scope="col">{t('airlock.findings.verdict')}</th>
            <th scope="col">{t('airlock.findings.where')}</th>
            <th scope="col">{t('airlock.findings.values')}</th>
          </tr>
        </thead>
        <tbody>
          {findings.map((f, i) => {
            const n = i + 1;
            const column = f.column === null ? -1 : header.indexOf(f.column);
            const linked = f.row !== null && column >= 0 && flags.cells.has(cellKey(f.row, f.column ?? ''));
            const where =
              f.row !== null && f.column !== null
                ? t('airlock.findings.cell', { row: f.row + 1, column: f.column })
                : f.column !== null
                  ? t('airlock.findings.column', { column: f.column })
                  : f.row !== null
                    ? t('airlock.findings.row', { row: f.row + 1 })
                    : t('airlock.findings.table');
            return (
              <tr key={n} id={findingId(n)} tabIndex={-1} data-rule={f.rule} data-verdict={f.verdict}>
                <td>{n}</td>
                <td>
                  <strong>{f.rule}</strong> — {t(`airlock.rule.${f.rule}` as MessageKey)}
                </td>
                <td>
                  <VerdictBadge verdict={f.verdict} />
                </td>
                <td>{linked && f.row !== null ? <a href={`#${cellId(f.row, column)}`}>{where}</a> : where}</td>
                <td>
                  <code>{valuesText(f.values)}</code>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
