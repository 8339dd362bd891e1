/** Signed-in users share an SQL program on catalogue tables (the server checks every field). */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { catalogPaths } from './links.ts';
import type { Program } from './types.ts';

export function ShareProgramForm({ table, onCancel }: { table: string; onCancel: () => void }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ slug: '', title: '', description: '', tables: table, licence: 'MPL-2.0', code: '' });
  const share = useMutation({
    mutationFn: () =>
      api.post<Program>('/api/catalog/programs', {
        ...form,
        language: 'sql',
        tables: form.tables.split(/[\s,;]+/).filter(Boolean),
      }),
    onSuccess: async (program) => {
      await queryClient.invalidateQueries({ queryKey: ['catalog', 'programs'] });
      await navigate(catalogPaths.program(program.slug));
    },
  });
  const bind = (key: keyof typeof form) => ({ name: key, value: form[key], onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }) });
  function submit(e: FormEvent) {
    e.preventDefault();
    share.mutate();
  }
  return (
    <form onSubmit={submit} aria-label={t('program.share')} className="fr-p-3w fr-mb-4w hdh-panel">
      <h2 className="fr-h5">{t('program.share')}</h2>
      <ErrorAlert error={share.error} />
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-6">
          <Input label={t('program.titleField')} nativeInputProps={{ ...bind('title'), required: true, minLength: 3 }} />
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Input label={t('program.slug')} hintText={t('program.slugHint')} nativeInputProps={{ ...bind('slug'), required: true, pattern: '[a-z0-9][a-z0-9\\-]{1,80}' }} />
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Input label={t('program.tables')} hintText={t('program.tablesHint')} nativeInputProps={{ ...bind('tables'), required: true }} />
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Input label={t('program.licence')} nativeInputProps={{ ...bind('licence'), required: true }} />
        </div>
      </div>
      <Input label={t('program.description')} hintText={t('doc.bodyHint')} textArea nativeTextAreaProps={{ ...bind('description'), rows: 4, required: true, minLength: 10 }} />
      <Input label={t('program.sql')} textArea nativeTextAreaProps={{ ...bind('code'), rows: 8, required: true, spellCheck: false, className: 'hdh-code-input' }} />
      <ul className="fr-btns-group fr-btns-group--inline-md">
        <li>
          <Button type="submit" disabled={share.isPending}>
            {t('program.shareSubmit')}
          </Button>
        </li>
        <li>
          <Button type="button" priority="secondary" onClick={onCancel}>
            {t('doc.cancel')}
          </Button>
        </li>
      </ul>
    </form>
  );
}
