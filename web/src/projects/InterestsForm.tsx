/** Declarations of interest (PR-10): the data controller's and the research lead's are required before submission. */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import type { Project } from './types.ts';

const capacities = ['data_controller', 'research_lead', 'team_member'] as const;
type Capacity = (typeof capacities)[number];

export function InterestsForm({ project }: { project: Project }) {
  const { t, formatDate } = useI18n();
  const queryClient = useQueryClient();
  const empty = { personName: '', capacity: 'data_controller' as Capacity, statement: '', signedOn: '' };
  const [v, setV] = useState(empty);
  const mutation = useMutation({
    mutationFn: () => api.post(`/api/projects/${project.id}/interests`, v),
    onSuccess: async () => {
      setV(empty);
      await queryClient.invalidateQueries({ queryKey: ['project', project.id] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    mutation.mutate();
  };
  return (
    <section className="fr-mb-4w">
      <h2>{t('interests.title')}</h2>
      <ul className="hdh-interests">
        {project.interests.map((i) => <li key={i.id}>{i.personName} ({t(`interests.capacity.${i.capacity as Capacity}`)}) — {formatDate(i.signedOn)}</li>)}
      </ul>
      <form className="hdh-interest-form" onSubmit={submit}>
        <div className="fr-input-group">
          <label className="fr-label" htmlFor="interest-person">{t('interests.person')}</label>
          <input className="fr-input" id="interest-person" name="personName" required value={v.personName} onChange={(e) => setV({ ...v, personName: e.target.value })} />
        </div>
        <div className="fr-select-group">
          <label className="fr-label" htmlFor="interest-capacity">{t('interests.capacityLabel')}</label>
          <select className="fr-select" id="interest-capacity" name="capacity" value={v.capacity} onChange={(e) => setV({ ...v, capacity: e.target.value as Capacity })}>
            {capacities.map((c) => <option key={c} value={c}>{t(`interests.capacity.${c}`)}</option>)}
          </select>
        </div>
        <div className="fr-input-group">
          <label className="fr-label" htmlFor="interest-statement">{t('interests.statement')}</label>
          <textarea className="fr-input" id="interest-statement" name="statement" required rows={2} value={v.statement} onChange={(e) => setV({ ...v, statement: e.target.value })} />
        </div>
        <div className="fr-input-group">
          <label className="fr-label" htmlFor="interest-signedOn">{t('interests.signedOn')}</label>
          <input className="fr-input" id="interest-signedOn" name="signedOn" type="date" required value={v.signedOn} onChange={(e) => setV({ ...v, signedOn: e.target.value })} />
        </div>
        <ErrorAlert error={mutation.error} />
        <Button type="submit" priority="secondary" disabled={mutation.isPending}>{t('interests.add')}</Button>
      </form>
    </section>
  );
}
