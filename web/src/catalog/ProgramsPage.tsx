/** Shared programs — programmes partagés: search by words or by table, and one program's versions. */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Tag } from '@codegouvfr/react-dsfr/Tag';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, withQuery } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { useSession } from '../shell/session.ts';
import { Facts, Markdown } from './common.tsx';
import { catalogPaths } from './links.ts';
import { ShareProgramForm } from './ShareProgramForm.tsx';
import type { Program, ProgramSummary } from './types.ts';
import { useDebouncedParam } from './useDebouncedParam.ts';
import { BackLink } from '../shell/BackLink.tsx';

export function ProgramsPage() {
  const { t, formatDateTime } = useI18n();
  const [params, setParams] = useSearchParams();
  const { value: q, draft, setDraft } = useDebouncedParam('q');
  const table = params.get('table') ?? '';
  const { data: session } = useSession();
  const signedIn = !!session?.authenticated && session.level === 'full';
  const [sharing, setSharing] = useState(false);
  const programs = useQuery({
    queryKey: ['catalog', 'programs', q, table],
    queryFn: () => api.get<ProgramSummary[]>(withQuery('/api/catalog/programs', { q: q.trim(), table })),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <BackLink to={catalogPaths.search}>{t('catalog.title')}</BackLink>
      <h1>{t('program.title')}</h1>
      {signedIn && !sharing && (
        <Button priority="secondary" iconId="fr-icon-add-line" className="fr-mb-3w" onClick={() => setSharing(true)}>
          {t('program.share')}
        </Button>
      )}
      {sharing && <ShareProgramForm table={table} onCancel={() => setSharing(false)} />}
      <Input label={t('program.search')} nativeInputProps={{ name: 'q', type: 'search', value: draft, onChange: (e) => setDraft(e.target.value) }} />
      {table && (
        <Tag dismissible nativeButtonProps={{ onClick: () => setParams(q ? { q } : {}), 'aria-label': t('program.clearTable', { table }) }}>
          {table}
        </Tag>
      )}
      <ErrorAlert error={programs.error} />
      {programs.data?.length === 0 && <p>{t('program.none')}</p>}
      <ul className="fr-mt-2w">
        {programs.data?.map((p) => (
          <li key={p.slug} className="fr-mb-2w">
            <Link to={catalogPaths.program(p.slug)} className="fr-link fr-text--bold">
              {p.title}
            </Link>{' '}
            <span className="fr-text--sm">
              v{p.currentVersion} · {p.author} · {p.licence} · {formatDateTime(p.updatedAt)} · {p.tables.join(', ')}
            </span>
            <p className="fr-text--sm fr-mb-0">{p.description.length > 200 ? `${p.description.slice(0, 200)}…` : p.description}</p>
          </li>
        ))}
      </ul>
    </>
  );
}

export function ProgramPage() {
  const { slug = '' } = useParams();
  const { t, formatDateTime } = useI18n();
  const program = useQuery({ queryKey: ['catalog', 'program', slug], queryFn: () => api.get<Program>(`/api/catalog/programs/${encodeURIComponent(slug)}`) });
  if (program.error) return <ErrorAlert error={program.error} />;
  if (!program.data) return <p>{t('app.loading')}</p>;
  const p = program.data;
  return (
    <>
      <BackLink to={catalogPaths.programs}>{t('program.title')}</BackLink>
      <h1>{p.title}</h1>
      <Markdown source={p.description} />
      <Facts
        items={[
          [t('program.author'), p.author],
          [t('program.licence'), p.licence],
          [t('program.language'), p.language.toUpperCase()],
          [t('program.tables'), p.tables.map((tb, i) => <span key={tb}>{i > 0 && ', '}<Link to={catalogPaths.table(tb)}>{tb}</Link></span>)],
          [t('program.updated'), formatDateTime(p.updatedAt)],
        ]}
      />
      <h2>{t('program.code', { n: p.currentVersion })}</h2>
      <pre className="hdh-code">
        <code>{p.code}</code>
      </pre>
      <h2>{t('program.versions')}</h2>
      {p.versions.map((v) => (
        <details key={v.version} className="fr-mb-1w">
          <summary>
            v{v.version} — {v.note} — {v.author}, {formatDateTime(v.createdAt)}
          </summary>
          <pre className="hdh-code">
            <code>{v.code}</code>
          </pre>
        </details>
      ))}
    </>
  );
}
