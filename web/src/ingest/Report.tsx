/**
 * A load's validation report in words: what was read, what the file looks like (format,
 * columns: NIRs pseudonymised, direct identifiers dropped), each broken rule with its count, and
 * the first offending rows with their line, column and value (NIRs come masked from the server).
 */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { useI18n, type MessageKey } from '../i18n.ts';
import { formatCount } from './format.ts';
import type { Load, ValidationReport } from './types.ts';

const delimiterNames: Record<string, MessageKey> = { ';': 'ingest.delimiter.semicolon', ',': 'ingest.delimiter.comma', '\t': 'ingest.delimiter.tab', '|': 'ingest.delimiter.pipe' };

/** The verdict first: can this be published, and what becomes of the bad rows. */
export function Verdict({ load, report }: { load: Load; report: ValidationReport }) {
  const { t, lang } = useI18n();
  const n = (x: number) => formatCount(x, lang);
  if (report.fileErrors.length > 0) {
    return (
      <Alert
        className="fr-mb-3w"
        severity="error"
        title={t('ingest.verdict.fileRefused')}
        description={
          <ul id="ingest-file-errors">
            {report.fileErrors.map((e, i) => (
              <li key={i}>{e.code === 'missing_column' && e.column ? t('ingest.fileError.missing_column', { column: e.column }) : e.code === 'no_known_column' ? t('ingest.fileError.no_known_column', { table: load.table }) : e.message}</li>
            ))}
          </ul>
        }
      />
    );
  }
  if (load.status === 'rejected') {
    const text = load.policy === 'quarantine' ? t('ingest.verdict.nothingValid', { read: n(report.rowsRead) }) : t('ingest.verdict.rejected', { rejected: n(report.rowsRejected), read: n(report.rowsRead) });
    return <Alert className="fr-mb-3w" severity="error" title={t('ingest.verdict.rejectedTitle')} description={text} />;
  }
  if (load.status !== 'validated') return null;
  if (report.rowsRejected > 0) {
    return <Alert className="fr-mb-3w" severity="warning" title={t('ingest.verdict.partialTitle')} description={t('ingest.verdict.partial', { valid: n(report.rowsValid), rejected: n(report.rowsRejected) })} />;
  }
  return <Alert className="fr-mb-3w" severity="success" title={t('ingest.verdict.validTitle')} description={t('ingest.verdict.valid', { valid: n(report.rowsValid) })} />;
}

export function ReportView({ load, report }: { load: Load; report: ValidationReport }) {
  const { t, lang } = useI18n();
  const n = (x: number) => formatCount(x, lang);
  const f = report.format;
  const pseudonymised = load.status === 'validated' || load.status === 'published';
  return (
    <section className="hdh-ingest-report fr-mb-4w" aria-labelledby="ingest-report-title">
      <h2 id="ingest-report-title">{t('ingest.report')}</h2>
      <dl className="hdh-facts fr-mb-3w" id="ingest-counts">
        <div><dt>{t('ingest.rowsRead')}</dt><dd data-count="read">{n(report.rowsRead)}</dd></div>
        <div><dt>{t('ingest.rowsValid')}</dt><dd data-count="valid">{n(report.rowsValid)}</dd></div>
        <div><dt>{t('ingest.rowsRejected')}</dt><dd data-count="rejected">{n(report.rowsRejected)}</dd></div>
        {pseudonymised && report.columns.pseudonymised.length > 0 && <div><dt>{t('ingest.nirDistinct')}</dt><dd data-count="nir">{n(report.nir.distinct)}</dd></div>}
        {report.nir.invalid > 0 && <div><dt>{t('ingest.nirInvalid')}</dt><dd data-count="nir-invalid">{n(report.nir.invalid)}</dd></div>}
        <div>
          <dt>{t('ingest.format')}</dt>
          <dd id="ingest-format">
            {f.kind === 'parquet'
              ? t('ingest.format.parquet')
              : t(f.bom ? 'ingest.format.csvBom' : 'ingest.format.csv', { encoding: f.encoding.toUpperCase(), delimiter: delimiterNames[f.delimiter] ? t(delimiterNames[f.delimiter]!) : f.delimiter })}
          </dd>
        </div>
      </dl>

      <h3 className="fr-h5">{t('ingest.columns')}</h3>
      <ul className="hdh-ingest-columns fr-mb-3w">
        {report.columns.pseudonymised.length > 0 && (
          <li id="ingest-columns-pseudonymised"><strong>{t('ingest.columns.pseudonymised')}</strong> {codes(report.columns.pseudonymised)}. {t('ingest.columns.pseudonymisedHint')}</li>
        )}
        {report.columns.dropped.length > 0 && (
          <li id="ingest-columns-dropped"><strong>{t('ingest.columns.dropped')}</strong> {codes(report.columns.dropped)}. {t('ingest.columns.droppedHint')}</li>
        )}
        <li><strong>{t('ingest.columns.matched', { n: report.columns.matched.length })}</strong> {codes(report.columns.matched)}.</li>
        {report.columns.missing.length > 0 && <li><strong>{t('ingest.columns.missing')}</strong> {codes(report.columns.missing)}. {t('ingest.columns.missingHint')}</li>}
        {report.columns.extra.length > 0 && <li><strong>{t('ingest.columns.extra')}</strong> {codes(report.columns.extra)}. {t('ingest.columns.extraHint')}</li>}
      </ul>

      {report.rules.length > 0 && (
        <div className="fr-table fr-table--no-caption-top">
          <table id="ingest-rules">
            <caption>{t('ingest.rules')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('ingest.rule')}</th>
                <th scope="col">{t('ingest.column')}</th>
                <th scope="col">{t('ingest.rowCount')}</th>
              </tr>
            </thead>
            <tbody>
              {report.rules.map((r) => (
                <tr key={`${r.rule}:${r.column ?? ''}`} data-rule={r.rule}>
                  <td>{t(`ingest.rule.${r.rule}`)}</td>
                  <td>{r.column ? <code>{r.column}</code> : '—'}</td>
                  <td>{n(r.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {report.samples.length > 0 && (
        <div className="fr-table fr-table--no-caption-top">
          <table id="ingest-samples">
            <caption>{t('ingest.samples', { n: report.samples.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('ingest.line')}</th>
                <th scope="col">{t('ingest.column')}</th>
                <th scope="col">{t('ingest.problem')}</th>
                <th scope="col">{t('ingest.value')}</th>
              </tr>
            </thead>
            <tbody>
              {report.samples.flatMap((s) =>
                s.problems.map((p, i) => (
                  <tr key={`${s.line}:${s.row}:${i}`} data-line={s.line} data-column={p.column ?? ''} data-rule={p.rule}>
                    <td>{s.line}</td>
                    <td>{p.column ? <code>{p.column}</code> : '—'}</td>
                    <td>{t(`ingest.rule.${p.rule}`)}</td>
                    <td>{p.value === null ? <span className="fr-hint-text">{t('ingest.emptyValue')}</span> : <code>{p.value}</code>}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
          <p className="fr-hint-text">{t('ingest.samplesHint')}</p>
        </div>
      )}
    </section>
  );
}

function codes(names: string[]) {
  return names.map((c, i) => (
    <span key={c}>
      {i > 0 && ', '}
      <code>{c}</code>
    </span>
  ));
}
