/**
 * Documentation pages of a dataset, table or variable: the published text (markdown rendered on
 * the client with HTML disabled), "propose a change" for signed-in users, and the pending
 * revisions with their diff, which hub staff and producers approve or reject.
 */
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, withQuery } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { hasRole, useSession } from '../shell/session.ts';
import { Diff, Markdown } from './common.tsx';
import { catalogPaths } from './links.ts';
import type { DocPage, DocRevision, SubjectType } from './types.ts';

/** Who the server lets approve (policy: hub staff, or the subject's producer). */
export const approverRoles = ['hub_instructor', 'administrator', 'data_producer'] as const;

export function docsKey(subjectType: SubjectType, subjectKey: string) {
  return ['catalog', 'docs', subjectType, subjectKey] as const;
}

export function DocumentationSection({ subjectType, subjectKey }: { subjectType: SubjectType; subjectKey: string }) {
  const { t } = useI18n();
  const { data: session } = useSession();
  const signedIn = !!session?.authenticated && session.level === 'full';
  const pages = useQuery({
    queryKey: docsKey(subjectType, subjectKey),
    queryFn: () => api.get<DocPage[]>(withQuery('/api/catalog/docs', { subjectType, subjectKey })),
  });
  const [editing, setEditing] = useState<string | null>(null);

  const list = pages.data ?? [];
  return (
    <section className="fr-mt-6w" aria-labelledby="doc-title">
      <h2 id="doc-title">{t('doc.title')}</h2>
      <ErrorAlert error={pages.error} />
      {pages.isSuccess && list.length === 0 && <p>{t('doc.none')}</p>}
      {list.map((page) => (
        <article key={page.id} className="fr-mb-4w hdh-doc">
          {page.published ? (
            <>
              <h3>{page.published.title}</h3>
              <Markdown source={page.published.markdown} />
              <p className="fr-text--xs">{t('doc.publishedBy', { author: page.published.author, n: page.published.number })}</p>
            </>
          ) : (
            <p>{t('doc.notYetPublished')}</p>
          )}
          <PendingRevisions page={page} canReview={hasRole(session, approverRoles)} />
          {signedIn && editing !== page.id && (
            <Button priority="secondary" size="small" iconId="fr-icon-edit-line" onClick={() => setEditing(page.id)}>
              {t('doc.propose')}
            </Button>
          )}
          {editing === page.id && <ProposalForm subjectType={subjectType} subjectKey={subjectKey} page={page} onDone={() => setEditing(null)} />}
        </article>
      ))}
      {signedIn && list.length === 0 && editing !== 'new' && (
        <Button priority="secondary" size="small" iconId="fr-icon-edit-line" onClick={() => setEditing('new')}>
          {t('doc.propose')}
        </Button>
      )}
      {editing === 'new' && <ProposalForm subjectType={subjectType} subjectKey={subjectKey} page={null} onDone={() => setEditing(null)} />}
      {!signedIn && <p className="fr-text--sm">{t('doc.signInToPropose')}</p>}
    </section>
  );
}

function ProposalForm({ subjectType, subjectKey, page, onDone }: { subjectType: SubjectType; subjectKey: string; page: DocPage | null; onDone: () => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState(page?.published?.title ?? t('doc.defaultTitle'));
  const [body, setBody] = useState(page?.published?.markdown ?? '');
  const [sent, setSent] = useState(false);
  const propose = useMutation({
    mutationFn: () =>
      api.post<DocPage>('/api/catalog/docs', { subjectType, subjectKey, slug: page?.slug ?? 'documentation', title, body, baseNumber: page?.published?.number ?? null }),
    onSuccess: async () => {
      setSent(true);
      await queryClient.invalidateQueries({ queryKey: ['catalog', 'docs'] });
    },
  });
  if (sent) {
    return <Alert severity="success" small description={t('doc.proposed')} closable onClose={onDone} className="fr-mb-2w" />;
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    propose.mutate();
  }
  return (
    <form onSubmit={submit} aria-label={t('doc.propose')} className="fr-mt-2w">
      <ErrorAlert error={propose.error} />
      <Input label={t('doc.pageTitle')} nativeInputProps={{ name: 'title', value: title, onChange: (e) => setTitle(e.target.value), required: true, minLength: 2 }} />
      <Input
        label={t('doc.body')}
        hintText={t('doc.bodyHint')}
        textArea
        nativeTextAreaProps={{ name: 'body', value: body, rows: 10, onChange: (e) => setBody(e.target.value), required: true }}
      />
      <ul className="fr-btns-group fr-btns-group--inline-md">
        <li>
          <Button type="submit" disabled={propose.isPending}>
            {t('doc.send')}
          </Button>
        </li>
        <li>
          <Button type="button" priority="secondary" onClick={onDone}>
            {t('doc.cancel')}
          </Button>
        </li>
      </ul>
    </form>
  );
}

function PendingRevisions({ page, canReview }: { page: DocPage; canReview: boolean }) {
  const { t } = useI18n();
  const pending = page.revisions.filter((r) => r.status === 'proposed');
  if (pending.length === 0) return null;
  return (
    <details className="fr-mb-2w">
      <summary>{t('doc.pending', { n: pending.length })}</summary>
      {pending.map((r) => (
        <RevisionReview key={r.number} pageId={page.id} revision={r} canReview={canReview} />
      ))}
    </details>
  );
}

export function RevisionReview({ pageId, revision, canReview, subject }: { pageId: string; revision: Pick<DocRevision, 'number' | 'title' | 'author' | 'createdAt' | 'diff'>; canReview: boolean; subject?: { type: string; key: string } }) {
  const { t, formatDateTime } = useI18n();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const review = useMutation({
    mutationFn: (decision: 'approve' | 'reject') => api.post<DocPage>(`/api/catalog/docs/pages/${pageId}/revisions/${revision.number}/${decision}`, { note }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['catalog', 'docs'] }),
  });
  return (
    <div className="fr-p-2w fr-mb-2w hdh-panel">
      <p className="fr-mb-1w">
        <Badge as="span" small noIcon severity="new">
          {t('doc.revisionN', { n: revision.number })}
        </Badge>{' '}
        <strong>{revision.title}</strong> — {revision.author}, {formatDateTime(revision.createdAt)}
        {subject && (
          <>
            {' '}— <SubjectLink type={subject.type} subjectKey={subject.key} />
          </>
        )}
      </p>
      <Diff diff={revision.diff} />
      <ErrorAlert error={review.error} />
      {canReview && !review.isSuccess && (
        <>
          <Input label={t('doc.reviewNote')} nativeInputProps={{ name: 'note', value: note, onChange: (e) => setNote(e.target.value) }} />
          <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
            <li>
              <Button type="button" iconId="fr-icon-check-line" disabled={review.isPending} onClick={() => review.mutate('approve')}>
                {t('doc.approve')}
              </Button>
            </li>
            <li>
              <Button type="button" priority="secondary" iconId="fr-icon-close-line" disabled={review.isPending} onClick={() => review.mutate('reject')}>
                {t('doc.reject')}
              </Button>
            </li>
          </ul>
        </>
      )}
      {review.isSuccess && <Alert small severity="success" description={review.variables === 'approve' ? t('doc.approved') : t('doc.rejected')} />}
    </div>
  );
}

/** Link to the page of a documentation subject (dataset slug, table name, TABLE.VARIABLE). */
export function SubjectLink({ type, subjectKey }: { type: string; subjectKey: string }) {
  const dot = subjectKey.indexOf('.');
  const to =
    type === 'dataset'
      ? catalogPaths.dataset(subjectKey)
      : type === 'variable' && dot > 0
        ? catalogPaths.variable(subjectKey.slice(0, dot), subjectKey.slice(dot + 1))
        : catalogPaths.table(subjectKey);
  return (
    <Link to={to} className="fr-link">
      {subjectKey}
    </Link>
  );
}

/** Hub staff and producers: every proposal they may decide on. */
export function ProposalsPage() {
  const { t } = useI18n();
  const proposals = useQuery({
    queryKey: ['catalog', 'docs', 'proposals'],
    queryFn: () => api.get<{ pageId: string; number: number; title: string; author: string; createdAt: string; subjectType: string; subjectKey: string; slug: string; diff: string }[]>('/api/catalog/docs/proposals'),
  });
  return (
    <>
      <h1>{t('doc.proposalsTitle')}</h1>
      <ErrorAlert error={proposals.error} />
      {proposals.isPending && <p>{t('app.loading')}</p>}
      {proposals.data?.length === 0 && <p>{t('doc.noProposals')}</p>}
      {proposals.data?.map((p) => (
        <RevisionReview key={`${p.pageId}:${p.number}`} pageId={p.pageId} revision={p} canReview subject={{ type: p.subjectType, key: p.subjectKey }} />
      ))}
    </>
  );
}
