/**
 * The procedure's steps the caller may take now (`availableActions`), each a small form with the
 * fields its decision needs: CESREES outcome, CNIL decision date and number, references, notes.
 */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { useI18n, type MessageKey } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { hasRole, useSession } from '../shell/session.ts';
import type { Action, Project } from './types.ts';

type Field = 'note' | 'reference' | 'outcome' | 'cnilOutcome' | 'decidedOn' | 'number' | 'registryReference' | 'authorisedEndDate';

/** Fields per action; `!` marks a required one (mirrors transitionBody in src/projects/schema.ts). */
const fields: Record<Action, string[]> = {
  submit: ['note'],
  return: ['note!', 'reference'],
  forward: ['reference', 'note'],
  record_opinion: ['outcome!', 'reference!', 'decidedOn!', 'note'],
  file_cnil: ['note'],
  renew_cnil: ['reference!', 'note'],
  record_cnil_decision: ['cnilOutcome!', 'number!', 'decidedOn!', 'authorisedEndDate', 'note'],
  register: ['registryReference!', 'reference', 'note'],
  approve: ['reference!', 'authorisedEndDate', 'note'],
  refuse: ['reference!', 'note!'],
  accept_convention: [],
  provision: ['reference', 'note'],
  close: ['note'],
  archive: ['note'],
  withdraw: ['note'],
};

const cesreesChoices = ['favourable', 'favourable_with_recommendations', 'reserved', 'unfavourable'] as const;
const cnilChoices = ['authorised', 'refused'] as const;

export function ActionForms({ project }: { project: Project }) {
  const { t } = useI18n();
  const { data: session } = useSession();
  // The convention stays open until both parties accepted: hide it once the caller's party did.
  const party = hasRole(session, ['hub_instructor', 'administrator']) ? 'hub' : 'applicant';
  const accepted = project.convention.acceptances.some((a) => a.party === party);
  const offered = project.availableActions.filter((a) => !(a === 'accept_convention' && accepted));
  // An administrator holds both sides, so the server asks which party it accepts for.
  const explicitParty = hasRole(session, ['administrator']) ? party : undefined;
  if (offered.length === 0) return null;
  return (
    <section className="hdh-actions fr-mb-4w">
      <h2>{t('actions.title')}</h2>
      {offered.map((a) => <ActionForm key={a} projectId={project.id} action={a} party={a === 'accept_convention' ? explicitParty : undefined} />)}
    </section>
  );
}

function ActionForm({ projectId, action, party }: { projectId: string; action: Action; party?: 'hub' | 'applicant' }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Partial<Record<Field, string>>>({});
  const mutation = useMutation({
    mutationFn: (body: Record<string, string>) => api.post(`/api/projects/${projectId}/transitions`, body),
    onSuccess: async () => {
      setValues({});
      await queryClient.invalidateQueries({ queryKey: ['project', projectId] });
      await queryClient.invalidateQueries({ queryKey: ['projects'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: Record<string, string> = { action, ...(party ? { party } : {}) };
    for (const [k, v] of Object.entries(values)) if (v) body[k === 'cnilOutcome' ? 'outcome' : k] = v;
    mutation.mutate(body);
  };
  const specs = fields[action].map((f) => ({ name: f.replace('!', '') as Field, required: f.endsWith('!') }));
  const id = (f: Field) => `action-${action}-${f}`;
  return (
    <form className="hdh-action fr-mb-3w" data-action={action} onSubmit={submit}>
      <fieldset className="fr-fieldset">
        <legend className="fr-fieldset__legend">{t(`actions.${action}`)}</legend>
        {specs.map(({ name, required }) => (
          <div key={name} className="fr-fieldset__element">
            {name === 'outcome' || name === 'cnilOutcome' ? (
              <div className="fr-select-group">
                <label className="fr-label" htmlFor={id(name)}>{t('actions.field.outcome')}</label>
                <select className="fr-select" id={id(name)} name={name} required={required} value={values[name] ?? ''} onChange={(e) => setValues({ ...values, [name]: e.target.value })}>
                  <option value="" disabled>—</option>
                  {name === 'outcome'
                    ? cesreesChoices.map((c) => <option key={c} value={c}>{t(`project.cesreesOutcome.${c}`)}</option>)
                    : cnilChoices.map((c) => <option key={c} value={c}>{t(`project.cnilOutcome.${c}`)}</option>)}
                </select>
              </div>
            ) : (
              <div className="fr-input-group">
                <label className="fr-label" htmlFor={id(name)}>{t(`actions.field.${name}` as MessageKey)}{required ? ' *' : ''}</label>
                <input
                  className="fr-input"
                  id={id(name)}
                  name={name}
                  type={name === 'decidedOn' || name === 'authorisedEndDate' ? 'date' : 'text'}
                  required={required}
                  value={values[name] ?? ''}
                  onChange={(e) => setValues({ ...values, [name]: e.target.value })}
                />
              </div>
            )}
          </div>
        ))}
        <div className="fr-fieldset__element">
          <Button type="submit" priority={action === 'withdraw' || action === 'refuse' ? 'secondary' : 'primary'} disabled={mutation.isPending}>
            {t(`actions.${action}`)}
          </Button>
        </div>
      </fieldset>
      <ErrorAlert error={mutation.error} />
    </form>
  );
}
