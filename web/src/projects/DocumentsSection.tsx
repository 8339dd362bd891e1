/**
 * The file's documents — pièces du dossier (protocol, PIA, CVs…): every version with its size
 * and SHA-256 as the server computed them (LOG-02), a download link, and for the lead an upload
 * form; uploading the same kind and name again makes a new version.
 */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { api, withQuery } from '../api.ts';
import { LocalizedError, useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { useProjectAccess } from './access.ts';
import { documentKinds, type DocumentKind, type Project, type ProjectDocument } from './types.ts';

/** Sizes as people read them (1 Ko = 1024 octets, as file managers show). */
export function useFileSize() {
  const { t, lang } = useI18n();
  const number = new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 });
  return (bytes: number) => {
    if (bytes < 1024) return t('documents.bytes', { n: number.format(bytes) });
    if (bytes < 1024 * 1024) return t('documents.kilobytes', { n: number.format(bytes / 1024) });
    return t('documents.megabytes', { n: number.format(bytes / 1024 / 1024) });
  };
}

export function DocumentsSection({ project }: { project: Project }) {
  const { t, formatDateTime } = useI18n();
  const { canChangeTeam: canUpload } = useProjectAccess(project);
  const size = useFileSize();
  const [target, setTarget] = useState<{ kind: DocumentKind; name: string } | null>(null);
  return (
    <section className="hdh-documents fr-mb-4w">
      <h2>{t('documents.title')}</h2>
      {project.documents.length === 0 ? <p>{t('documents.none')}</p> : (
        <div className="fr-table fr-table--no-caption">
          <table>
            <caption>{t('documents.title')}</caption>
            <thead>
              <tr>
                <th>{t('documents.name')}</th>
                <th>{t('documents.kind')}</th>
                <th>{t('documents.version')}</th>
                <th>{t('documents.size')}</th>
                <th>{t('documents.sha256')}</th>
                <th>{t('documents.uploaded')}</th>
                {canUpload && <th>{t('team.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {project.documents.map((d: ProjectDocument) => (
                <tr key={d.id} data-document={d.name} data-version={d.version}>
                  <td><a href={`/api/projects/${project.id}/documents/${d.id}`} download={d.name}>{d.name}</a></td>
                  <td>{t(`documents.kinds.${d.kind}`)}</td>
                  <td>v{d.version}</td>
                  <td>{size(d.size)}</td>
                  <td><code className="hdh-sha256" title={d.sha256}>{d.sha256}</code></td>
                  <td>{formatDateTime(d.uploadedAt)} — {d.uploadedBy}</td>
                  {canUpload && (
                    <td>
                      <Button size="small" priority="tertiary" iconId="fr-icon-upload-2-line" onClick={() => setTarget({ kind: d.kind, name: d.name })}>
                        {t('documents.newVersion')}
                      </Button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canUpload && <UploadForm project={project} target={target} onDone={() => setTarget(null)} />}
    </section>
  );
}

function UploadForm({ project, target, onDone }: { project: Project; target: { kind: DocumentKind; name: string } | null; onDone: () => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const fileInput = useRef<HTMLInputElement>(null);
  const [kind, setKind] = useState<DocumentKind>('protocol');
  const [name, setName] = useState('');
  // "New version" on a row names the document; the form keeps it until the upload.
  const shownKind = target?.kind ?? kind;
  const shownName = target?.name ?? name;
  const upload = useMutation({
    mutationFn: async () => {
      const file = fileInput.current?.files?.[0];
      if (!file) throw new LocalizedError('documents.noFile');
      const form = new FormData();
      form.append('file', file, file.name);
      return api.upload<ProjectDocument>(withQuery(`/api/projects/${project.id}/documents`, { kind: shownKind, name: shownName.trim() || undefined }), form);
    },
    onSuccess: async () => {
      if (fileInput.current) fileInput.current.value = '';
      setName('');
      onDone();
      await queryClient.invalidateQueries({ queryKey: ['project', project.id] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    upload.mutate();
  };
  return (
    <form className="hdh-upload-form" onSubmit={submit}>
      <fieldset className="fr-fieldset">
        <legend className="fr-fieldset__legend">{target ? t('documents.newVersionOf', { name: target.name }) : t('documents.upload')}</legend>
        <div className="fr-fieldset__element">
          <div className="fr-select-group">
            <label className="fr-label" htmlFor="document-kind">{t('documents.kind')}</label>
            <select className="fr-select" id="document-kind" name="kind" disabled={!!target} value={shownKind} onChange={(e) => setKind(e.target.value as DocumentKind)}>
              {documentKinds.map((k) => <option key={k} value={k}>{t(`documents.kinds.${k}`)}</option>)}
            </select>
          </div>
        </div>
        <div className="fr-fieldset__element">
          <div className="fr-upload-group">
            <label className="fr-label" htmlFor="document-file">{t('documents.file')}<span className="fr-hint-text">{t('documents.fileHint')}</span></label>
            <input className="fr-upload" id="document-file" name="file" type="file" required ref={fileInput} />
          </div>
        </div>
        <div className="fr-fieldset__element">
          <div className="fr-input-group">
            <label className="fr-label" htmlFor="document-name">{t('documents.nameOptional')}<span className="fr-hint-text">{t('documents.nameHint')}</span></label>
            <input className="fr-input" id="document-name" name="name" disabled={!!target} value={shownName} onChange={(e) => setName(e.target.value)} />
          </div>
        </div>
        <div className="fr-fieldset__element">
          <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
            <li><Button type="submit" iconId="fr-icon-upload-2-line" disabled={upload.isPending}>{t('documents.send')}</Button></li>
            {target && <li><Button type="button" priority="secondary" onClick={onDone}>{t('documents.cancel')}</Button></li>}
          </ul>
        </div>
      </fieldset>
      <ErrorAlert error={upload.error} />
    </form>
  );
}
