/**
 * The perimeter's dictionary at hand (dictionnaire du périmètre): each table with its columns,
 * types and labels from the catalogue, links to the catalogue's table and nomenclature pages,
 * and the user's own scratch tables. A name button puts it into the editor at the cursor.
 */
import { Input } from '@codegouvfr/react-dsfr/Input';
import { useState } from 'react';
import { Link } from 'react-router';
import { catalogPaths } from '../catalog/links.ts';
import { useI18n } from '../i18n.ts';
import type { DictionaryTable } from './types.ts';

export function DictionaryPanel({ dictionary, onInsert }: { dictionary: readonly DictionaryTable[]; onInsert: (text: string) => void }) {
  const { t } = useI18n();
  const [filter, setFilter] = useState('');
  const needle = filter.trim().toLowerCase();
  const matches = (s: string | null | undefined) => !!s && s.toLowerCase().includes(needle);
  const tables = needle
    ? dictionary
        .map((tb) => (matches(tb.table) || matches(tb.label) ? tb : { ...tb, columns: tb.columns.filter((c) => matches(c.name) || matches(c.label)) }))
        .filter((tb) => tb.columns.length > 0 || matches(tb.table))
    : dictionary;

  return (
    <aside className="hdh-dictionary hdh-panel" aria-labelledby="dictionary-title">
      <h2 id="dictionary-title" className="fr-h6">{t('ws.dictionary.title')}</h2>
      <Input label={t('ws.dictionary.filter')} nativeInputProps={{ id: 'dictionary-filter', type: 'search', value: filter, onChange: (e) => setFilter(e.target.value) }} />
      {dictionary.length === 0 && <p className="fr-text--sm">{t('ws.dictionary.empty')}</p>}
      <ul className="hdh-dictionary-tables">
        {tables.map((tb) => (
          <li key={tb.table}>
            <details open={needle !== ''} data-table={tb.table}>
              <summary>
                <code>{tb.table}</code> {tb.source === 'scratch' && <span className="fr-badge fr-badge--sm fr-badge--new">{t(tb.kind === 'view' ? 'ws.dictionary.scratchView' : 'ws.dictionary.scratch')}</span>}
                {tb.label && <span className="fr-text--xs hdh-muted"> — {tb.label}</span>}
              </summary>
              <p className="fr-text--xs fr-mb-1w">
                <button type="button" className="fr-link fr-text--xs" onClick={() => onInsert(tb.table)}>
                  {t('ws.dictionary.insert', { name: tb.table })}
                </button>
                {tb.source !== 'scratch' && (
                  <>
                    {' · '}
                    <Link className="fr-link fr-text--xs" to={catalogPaths.table(tb.table)} target="_blank" rel="noopener">
                      {t('ws.dictionary.inCatalogue')}
                    </Link>
                  </>
                )}
              </p>
              <ul className="hdh-dictionary-columns">
                {tb.columns.map((c) => (
                  <li key={c.name}>
                    <button type="button" className="hdh-column-name" onClick={() => onInsert(c.name)} title={t('ws.dictionary.insert', { name: c.name })}>
                      {c.name}
                    </button>{' '}
                    <span className="hdh-muted fr-text--xs">{c.type}</span>
                    {c.label && <span className="fr-text--xs"> — {c.label}</span>}
                    {c.nomenclature && (
                      <>
                        {' '}
                        <Link className="fr-link fr-text--xs" to={catalogPaths.nomenclature(c.nomenclature)} target="_blank" rel="noopener">
                          {t('ws.dictionary.nomenclature', { name: c.nomenclature })}
                        </Link>
                      </>
                    )}
                  </li>
                ))}
              </ul>
            </details>
          </li>
        ))}
      </ul>
    </aside>
  );
}
