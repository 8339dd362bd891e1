/**
 * Personal API tokens (jetons d'accès personnels) to submit jobs from scripts: bound to the user,
 * one project and an expiry; created only in a full (two-factor) session; shown once; revocable.
 */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import type { ProjectSummary } from '../projects/types.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import type { ApiToken } from './types.ts';
import './workspace.css';

const tokensKey = ['tokens'] as const;

/** An ISO day `days` from today (the form's default expiry, and its limit). */
function daysAhead(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The hub refuses tokens living longer (HDH_API_TOKEN_MAX_DAYS, 90 by default). */
const MAX_DAYS = 90;

export function TokensPage() {
  const { t, formatDateTime } = useI18n();
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: tokensKey, queryFn: () => api.get<ApiToken[]>('/api/tokens') });
  const projects = useQuery({ queryKey: ['projects'], queryFn: () => api.get<ProjectSummary[]>('/api/projects') });
  const active = projects.data?.filter((p) => p.status === 'active') ?? [];
  const titles = new Map(projects.data?.map((p) => [p.id, `${p.reference} — ${p.title}`]));
  const [projectId, setProjectId] = useState('');
  const [label, setLabel] = useState('');
  const [expiresAt, setExpiresAt] = useState(() => daysAhead(30));
  const [created, setCreated] = useState<ApiToken | null>(null);
  const create = useMutation({
    mutationFn: () => api.post<ApiToken>('/api/tokens', { projectId: projectId || active[0]?.id, label: label.trim(), expiresAt }),
    onSuccess: (token) => {
      setCreated(token);
      setLabel('');
      void queryClient.invalidateQueries({ queryKey: tokensKey });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api.delete<void>(`/api/tokens/${encodeURIComponent(id)}`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: tokensKey }),
  });

  return (
    <>
      <h1>{t('ws.tokens.title')}</h1>
      <p>{t('ws.tokens.lead')}</p>
      {created?.token && (
        <div id="token-created" className="fr-mb-3w">
          <Alert
            severity="success"
            title={t('ws.tokens.createdTitle')}
            description={
              <>
                <span>{t('ws.tokens.once')}</span>
                <Input label={t('ws.tokens.value')} nativeInputProps={{ id: 'token-value', readOnly: true, value: created.token, onFocus: (e) => e.target.select() }} />
                <span className="fr-text--sm">{t('ws.tokens.usage')}</span>
              </>
            }
          />
        </div>
      )}
      <form
        id="token-form"
        className="hdh-panel hdh-workspace-panel fr-mb-4w"
        onSubmit={(e) => {
          e.preventDefault();
          setCreated(null);
          create.mutate();
        }}
      >
        <h2 className="fr-h6">{t('ws.tokens.create')}</h2>
        {projects.data && active.length === 0 && <p>{t('ws.tokens.noActiveProject')}</p>}
        {active.length > 0 && (
          <Select label={t('ws.tokens.project')} nativeSelectProps={{ id: 'token-project', value: projectId || active[0]?.id || '', onChange: (e) => setProjectId(e.target.value), required: true }}>
            {active.map((p) => (
              <option key={p.id} value={p.id}>
                {p.reference} — {p.title}
              </option>
            ))}
          </Select>
        )}
        <Input label={t('ws.tokens.label')} nativeInputProps={{ id: 'token-label', value: label, required: true, maxLength: 200, onChange: (e) => setLabel(e.target.value) }} />
        <Input label={t('ws.tokens.expiresAt')} nativeInputProps={{ id: 'token-expires', type: 'date', value: expiresAt, required: true, min: daysAhead(1), max: daysAhead(MAX_DAYS), onChange: (e) => setExpiresAt(e.target.value) }} />
        <Button type="submit" iconId="ri-key-2-line" disabled={create.isPending || active.length === 0 || label.trim() === ''}>
          {t('ws.tokens.createButton')}
        </Button>
      </form>
      <ErrorAlert error={tokens.error ?? create.error ?? revoke.error} />
      <h2 className="fr-h5">{t('ws.tokens.mine')}</h2>
      {tokens.data?.length === 0 && <p>{t('ws.tokens.none')}</p>}
      {tokens.data && tokens.data.length > 0 && (
        <div className="fr-table fr-table--bordered">
          <table id="token-list">
            <caption>{t('ws.tokens.mine')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('ws.tokens.label')}</th>
                <th scope="col">{t('ws.tokens.project')}</th>
                <th scope="col">{t('ws.tokens.expiresAt')}</th>
                <th scope="col">{t('ws.tokens.lastUsed')}</th>
                <th scope="col">
                  <span className="fr-sr-only">{t('ws.tokens.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.map((tk) => (
                <tr key={tk.id}>
                  <th scope="row">{tk.label}</th>
                  <td>{titles.get(tk.projectId) ?? tk.projectId}</td>
                  <td>{formatDateTime(tk.expiresAt)}</td>
                  <td>{tk.lastUsedAt ? formatDateTime(tk.lastUsedAt) : '—'}</td>
                  <td>
                    {tk.revokedAt ? (
                      <span className="fr-badge fr-badge--sm">{t('ws.tokens.revokedOn', { at: formatDateTime(tk.revokedAt) })}</span>
                    ) : (
                      <Button
                        size="small"
                        priority="tertiary"
                        iconId="fr-icon-delete-line"
                        disabled={revoke.isPending}
                        onClick={() => {
                          if (window.confirm(t('ws.tokens.confirmRevoke', { label: tk.label }))) revoke.mutate(tk.id);
                        }}
                      >
                        {t('ws.tokens.revoke')}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
