/** The current user charter and its acceptance, required before any data access (AUTH-05). */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import MarkdownIt from 'markdown-it';
import { useMemo } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { sessionKey, useSession } from '../shell/session.ts';

interface Charter {
  id: string;
  kind: 'user' | 'producer' | 'citizen';
  version: number;
  title: { fr: string; en: string };
  body: { fr: string; en: string };
  publishedAt: string;
}

// html: false — raw HTML in the charter is shown as text, so the body cannot inject markup.
const markdown = new MarkdownIt({ html: false, linkify: false, typographer: true });

export function CharterPage() {
  const { t, lang, formatDate } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { data: session } = useSession();
  const charter = useQuery({ queryKey: ['charter', 'user'], queryFn: () => api.get<Charter>('/api/charters/user/current') });
  const accept = useMutation({
    mutationFn: (id: string) => api.post<void>(`/api/charters/${id}/accept`),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: sessionKey });
      await navigate('/', { replace: true });
    },
  });
  const html = useMemo(() => (charter.data ? markdown.render(charter.data.body[lang]) : ''), [charter.data, lang]);

  if (charter.isPending) return <p>{t('app.loading')}</p>;
  if (charter.error) return <ErrorAlert error={charter.error} />;
  const c = charter.data;
  return (
    <>
      <h1>{c.title[lang]}</h1>
      <p className="fr-text--sm fr-text-mention--grey">{t('charter.version', { version: c.version, date: formatDate(c.publishedAt) })}</p>
      {session?.charterAccepted ? (
        <Alert className="fr-mb-3w" severity="success" small description={t('charter.accepted')} />
      ) : (
        <Alert className="fr-mb-3w" severity="info" small description={t('charter.mustAccept')} />
      )}
      {/* markdown-it output with HTML disabled: only the markup markdown itself produces. */}
      <div className="hdh-charter fr-mb-4w" dangerouslySetInnerHTML={{ __html: html }} />
      <ErrorAlert error={accept.error} />
      {!session?.charterAccepted && (
        <Button iconId="fr-icon-check-line" disabled={accept.isPending} onClick={() => accept.mutate(c.id)}>
          {t('charter.accept')}
        </Button>
      )}
    </>
  );
}
