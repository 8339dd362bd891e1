/** A nomenclature's codes, searched and paged by the server (some hold tens of thousands). */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, withQuery } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { Facts } from './common.tsx';
import { catalogPaths } from './links.ts';
import type { Nomenclature } from './types.ts';
import { useDebouncedParam } from './useDebouncedParam.ts';
import { BackLink } from '../shell/BackLink.tsx';

const PAGE = 50;

export function NomenclaturePage() {
  const { name = '' } = useParams();
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const { value: q, draft, setDraft } = useDebouncedParam('q');
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const nomenclature = useQuery({
    queryKey: ['catalog', 'nomenclature', name, q, offset],
    queryFn: () => api.get<Nomenclature>(withQuery(`/api/catalog/nomenclatures/${encodeURIComponent(name)}`, { q: q.trim(), limit: PAGE, offset })),
    placeholderData: keepPreviousData,
  });
  if (nomenclature.error && !nomenclature.data) return <ErrorAlert error={nomenclature.error} />;
  if (!nomenclature.data) return <p>{t('app.loading')}</p>;
  const n = nomenclature.data;
  const { total, items } = n.codes;
  const goTo = (next: number) => setParams(withParams(q, next));
  // `values` holds every cell in column order; code and label have their own columns already.
  const extra = n.columns.map((c, index) => ({ ...c, index })).filter((c) => c.name !== n.codeColumn && c.name !== n.labelColumn);

  return (
    <>
      <BackLink to={catalogPaths.search}>{t('catalog.title')}</BackLink>
      <h1>{n.name}</h1>
      <p className="fr-text--lead">{n.title}</p>
      {n.description && <p>{n.description}</p>}
      <Facts
        items={[
          [t('nom.folder'), n.folder],
          [t('nom.codeCount'), n.codeCount.toLocaleString()],
          [
            t('nom.usedBy'),
            n.usedBy.length
              ? n.usedBy.map((u, i) => (
                  <span key={`${u.table}.${u.variable}`}>
                    {i > 0 && ', '}
                    <Link to={catalogPaths.variable(u.table, u.variable)}>{`${u.table}.${u.variable}`}</Link>
                  </span>
                ))
              : null,
          ],
        ]}
      />
      <Input
        label={t('nom.search')}
        hintText={t('nom.searchHint')}
        nativeInputProps={{ name: 'q', type: 'search', value: draft, autoComplete: 'off', onChange: (e) => setDraft(e.target.value) }}
      />
      <ErrorAlert error={nomenclature.error} />
      {!n.hasData ? (
        <p>{t('nom.noData')}</p>
      ) : (
        <>
          <p role="status">{total === 0 ? t('nom.none') : t('nom.range', { from: offset + 1, to: offset + items.length, total })}</p>
          {items.length > 0 && (
            <div className="hdh-scroll">
              <Table
                className="hdh-codes"
                fixed={false}
                headers={[n.codeColumn, n.labelColumn ?? t('nom.label'), t('nom.validity'), ...extra.map((c) => c.name)]}
                data={items.map((c) => [
                  <code key="c">{c.code}</code>,
                  c.label ?? '',
                  c.validFrom || c.validTo ? `${c.validFrom ?? '…'} → ${c.validTo ?? '…'}` : '',
                  ...extra.map((x) => c.values[x.index] ?? ''),
                ])}
              />
            </div>
          )}
          <ul className="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
            <li>
              <Button priority="secondary" disabled={offset === 0} onClick={() => goTo(Math.max(0, offset - PAGE))}>
                ← {t('nom.previous')}
              </Button>
            </li>
            <li>
              <Button priority="secondary" disabled={offset + items.length >= total} onClick={() => goTo(offset + PAGE)}>
                {t('nom.next')} →
              </Button>
            </li>
          </ul>
        </>
      )}
    </>
  );
}

function withParams(q: string, offset: number): Record<string, string> {
  const p: Record<string, string> = {};
  if (q) p.q = q;
  if (offset) p.offset = String(offset);
  return p;
}
