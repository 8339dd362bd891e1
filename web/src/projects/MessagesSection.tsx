/**
 * Exchanges — échanges: the threaded messages between the applicant's team and the hub on a
 * file. The server sends them flat, oldest first, each with its parent; the page nests them.
 * Posting notifies the other members of the applicant's side (in the app, by e-mail if set up).
 */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import type { Message } from './types.ts';

export function MessagesSection({ projectId }: { projectId: string }) {
  const { t } = useI18n();
  const messages = useQuery({ queryKey: ['project', projectId, 'messages'], queryFn: () => api.get<Message[]>(`/api/projects/${projectId}/messages`) });
  const children = new Map<string | null, Message[]>();
  for (const m of messages.data ?? []) children.set(m.parentId, [...(children.get(m.parentId) ?? []), m]);
  return (
    <section className="hdh-messages fr-mb-4w">
      <h2>{t('messages.title')}</h2>
      <p className="fr-text--sm">{t('messages.lead')}</p>
      <ErrorAlert error={messages.error} />
      {messages.data && messages.data.length === 0 && <p>{t('messages.none')}</p>}
      <Thread projectId={projectId} messages={children.get(null) ?? []} replies={children} depth={0} />
      <MessageForm projectId={projectId} />
    </section>
  );
}

function Thread({ projectId, messages, replies, depth }: { projectId: string; messages: Message[]; replies: Map<string | null, Message[]>; depth: number }) {
  if (messages.length === 0) return null;
  return (
    <ul className={depth === 0 ? 'hdh-thread' : 'hdh-thread hdh-thread--replies'}>
      {messages.map((m) => (
        <li key={m.id}>
          <MessageCard projectId={projectId} message={m} />
          <Thread projectId={projectId} messages={replies.get(m.id) ?? []} replies={replies} depth={depth + 1} />
        </li>
      ))}
    </ul>
  );
}

function MessageCard({ projectId, message: m }: { projectId: string; message: Message }) {
  const { t, formatDateTime } = useI18n();
  const [replying, setReplying] = useState(false);
  return (
    <article className={`hdh-message hdh-message--${m.side}`} data-message-side={m.side}>
      <p className="fr-mb-1v fr-text--sm">
        <strong>{m.authorLabel}</strong>{' '}
        <span className={`fr-badge fr-badge--sm ${m.side === 'hub' ? 'fr-badge--blue-ecume' : 'fr-badge--green-menthe'}`}>{t(`messages.side.${m.side}`)}</span>{' '}
        <time dateTime={m.createdAt}>{formatDateTime(m.createdAt)}</time>
      </p>
      <p className="hdh-message__body fr-mb-1w">{m.body}</p>
      {replying ? (
        <MessageForm projectId={projectId} parentId={m.id} onDone={() => setReplying(false)} />
      ) : (
        <Button size="small" priority="tertiary no outline" iconId="fr-icon-reply-line" onClick={() => setReplying(true)}>{t('messages.reply')}</Button>
      )}
    </article>
  );
}

function MessageForm({ projectId, parentId, onDone }: { projectId: string; parentId?: string; onDone?: () => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const post = useMutation({
    mutationFn: () => api.post<Message>(`/api/projects/${projectId}/messages`, { body, ...(parentId ? { parentId } : {}) }),
    onSuccess: async () => {
      setBody('');
      onDone?.();
      await queryClient.invalidateQueries({ queryKey: ['project', projectId, 'messages'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    post.mutate();
  };
  const id = parentId ? `reply-${parentId}` : 'message-body';
  return (
    <form className="hdh-message-form fr-mb-2w" data-reply-to={parentId} onSubmit={submit}>
      <div className="fr-input-group">
        <label className="fr-label" htmlFor={id}>{parentId ? t('messages.replyLabel') : t('messages.newLabel')}</label>
        <textarea className="fr-input" id={id} name="body" rows={parentId ? 2 : 3} required maxLength={20_000} value={body} onChange={(e) => setBody(e.target.value)} />
      </div>
      <ul className="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm fr-btns-group--icon-left">
        <li><Button type="submit" iconId="fr-icon-send-plane-line" disabled={post.isPending || !body.trim()}>{t('messages.send')}</Button></li>
        {onDone && <li><Button type="button" priority="secondary" onClick={onDone}>{t('documents.cancel')}</Button></li>}
      </ul>
      <ErrorAlert error={post.error} />
    </form>
  );
}
