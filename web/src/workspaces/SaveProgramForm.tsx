/**
 * Saves the editor's text as a program shared within the project: a new program (name,
 * description), or a new version, with a comment, of the program the editor was loaded from.
 */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { workspaceApi, workspacePaths, type Program, type ProgramVersion } from './types.ts';

/** The program the editor's text came from (to save a new version of it). */
export interface LoadedProgram {
  id: string;
  name: string;
  version: number;
}

export function SaveProgramForm({ projectId, sql, loaded, onSaved }: { projectId: string; sql: string; loaded: LoadedProgram | null; onSaved: (p: LoadedProgram) => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const paths = workspaceApi(projectId);
  const [asNew, setAsNew] = useState(false);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [comment, setComment] = useState('');
  const [saved, setSaved] = useState<LoadedProgram | null>(null);
  const refresh = (id: string) => {
    void queryClient.invalidateQueries({ queryKey: ['workspace', projectId, 'programs'] });
    void queryClient.invalidateQueries({ queryKey: ['workspace', projectId, 'program', id] });
  };
  const create = useMutation({
    mutationFn: () => api.post<Program>(paths.programs, { name: name.trim(), ...(description.trim() ? { description: description.trim() } : {}), sql }),
    onSuccess: (p) => {
      const next = { id: p.id, name: p.name, version: p.latestVersion ?? 1 };
      refresh(p.id);
      setSaved(next);
      setAsNew(false);
      setName('');
      setDescription('');
      onSaved(next);
    },
  });
  const addVersion = useMutation({
    // The server answers with the program (its latestVersion); a bare version is read as well.
    mutationFn: (target: LoadedProgram) => api.post<Program | ProgramVersion>(paths.versions(target.id), { sql, ...(comment.trim() ? { comment: comment.trim() } : {}) }),
    onSuccess: (answer, target) => {
      const next = { ...target, version: 'latestVersion' in answer ? answer.latestVersion : answer.version };
      refresh(target.id);
      setSaved(next);
      setComment('');
      onSaved(next);
    },
  });
  const pending = create.isPending || addVersion.isPending;
  const emptySql = sql.trim() === '';

  return (
    <section className="hdh-save-program fr-mt-3w" aria-labelledby="save-program-title">
      <h3 id="save-program-title" className="fr-h6 fr-mb-1w">{t('ws.save.title')}</h3>
      {loaded && !asNew ? (
        <form
          id="save-version-form"
          onSubmit={(e) => {
            e.preventDefault();
            setSaved(null);
            addVersion.mutate(loaded);
          }}
        >
          <p className="fr-text--sm">{t('ws.save.basedOn', { name: loaded.name, version: loaded.version })}</p>
          <Input label={t('ws.save.comment')} nativeInputProps={{ id: 'version-comment', name: 'comment', value: comment, maxLength: 2000, onChange: (e) => setComment(e.target.value) }} />
          <div className="hdh-run-bar">
            <Button type="submit" iconId="fr-icon-save-line" disabled={pending || emptySql}>
              {t('ws.save.newVersion')}
            </Button>
            <Button type="button" priority="tertiary" onClick={() => setAsNew(true)}>
              {t('ws.save.asNew')}
            </Button>
          </div>
        </form>
      ) : (
        <form
          id="save-program-form"
          onSubmit={(e) => {
            e.preventDefault();
            setSaved(null);
            create.mutate();
          }}
        >
          <Input label={t('ws.save.name')} nativeInputProps={{ id: 'program-name', name: 'name', required: true, maxLength: 200, value: name, onChange: (e) => setName(e.target.value) }} />
          <Input label={t('ws.save.description')} textArea nativeTextAreaProps={{ id: 'program-description', name: 'description', rows: 2, maxLength: 5000, value: description, onChange: (e) => setDescription(e.target.value) }} />
          <div className="hdh-run-bar">
            <Button type="submit" iconId="fr-icon-save-line" disabled={pending || emptySql || name.trim() === ''}>
              {t('ws.save.create')}
            </Button>
            {loaded && (
              <Button type="button" priority="tertiary" onClick={() => setAsNew(false)}>
                {t('ws.save.backToVersion')}
              </Button>
            )}
          </div>
        </form>
      )}
      <ErrorAlert error={create.error ?? addVersion.error} />
      {saved && (
        <div id="program-saved" role="status">
          <Alert
            severity="success"
            small
            description={
              <>
                {t('ws.save.done', { name: saved.name, version: saved.version })}{' '}
                <Link to={workspacePaths.program(projectId, saved.id)}>{t('ws.save.open')}</Link>
              </>
            }
          />
        </div>
      )}
    </section>
  );
}
