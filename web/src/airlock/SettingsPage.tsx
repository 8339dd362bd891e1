/**
 * Settings of the disclosure checks (/admin/sas): the hub's defaults and each dataset's
 * overrides. A project's files are checked with the strictest value over the hub and the datasets
 * of its perimeter. Reviewers read them; administrators change them (each change audited).
 */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import type { DatasetSummary } from '../catalog/types.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { hasRole, useSession } from '../shell/session.ts';
import { fromDraft, toDraft, type DraftError, type SettingsDraft } from './settingsForm.ts';
import { airlockApi, airlockKeys, type AirlockSettings, type SdcSettings } from './types.ts';
import './airlock.css';

export function SettingsPage() {
  const { t } = useI18n();
  const { data: session } = useSession();
  const admin = hasRole(session, ['administrator']);
  const settings = useQuery({ queryKey: airlockKeys.settings, queryFn: () => api.get<AirlockSettings>(airlockApi.settings) });
  const datasets = useQuery({ queryKey: ['catalog', 'datasets'], queryFn: () => api.get<DatasetSummary[]>('/api/catalog/datasets') });
  const [adding, setAdding] = useState('');
  const overridden = new Set(settings.data?.datasets.map((d) => d.dataset) ?? []);
  const titles = new Map(datasets.data?.map((d) => [d.slug, d.title]) ?? []);

  return (
    <>
      <h1>{t('airlock.settings.title')}</h1>
      <p className="fr-text--lead">{t('airlock.settings.lead')}</p>
      {!admin && <Alert severity="info" small className="fr-mb-3w" description={t('airlock.settings.readOnly')} />}
      <ErrorAlert error={settings.error} />
      {settings.isPending && <p>{t('app.loading')}</p>}
      {settings.data && (
        <>
          <section className="hdh-sdc-file" aria-labelledby="hub-settings-title">
            <h2 id="hub-settings-title" className="fr-h4">
              {t('airlock.settings.hub')}
            </h2>
            <SettingsForm id="hub-settings" initial={settings.data.hub} partial={false} readOnly={!admin} url={airlockApi.hubSettings} />
          </section>
          <section aria-labelledby="dataset-settings-title">
            <h2 id="dataset-settings-title" className="fr-h4">
              {t('airlock.settings.datasets')}
            </h2>
            <p className="fr-text--sm">{t('airlock.settings.datasetsHint')}</p>
            {settings.data.datasets.length === 0 && <p id="dataset-settings-none">{t('airlock.settings.noOverride')}</p>}
            {settings.data.datasets.map((d) => (
              <section key={d.dataset} className="hdh-sdc-file" data-dataset={d.dataset} aria-labelledby={`ds-${d.dataset}-title`}>
                <h3 id={`ds-${d.dataset}-title`} className="fr-h5">
                  {titles.get(d.dataset) ?? d.dataset} <code className="fr-text--sm">{d.dataset}</code>
                </h3>
                <SettingsForm id={`ds-${d.dataset}`} initial={d.overrides} partial readOnly={!admin} url={airlockApi.datasetSettings(d.dataset)} removable />
              </section>
            ))}
            {admin && (
              <div className="hdh-sdc-file">
                <Select label={t('airlock.settings.addDataset')} nativeSelectProps={{ id: 'add-dataset', value: adding, onChange: (e) => setAdding(e.target.value) }}>
                  <option value="">{t('airlock.settings.pickDataset')}</option>
                  {(datasets.data ?? [])
                    .filter((d) => !overridden.has(d.slug))
                    .map((d) => (
                      <option key={d.slug} value={d.slug}>
                        {d.title} ({d.slug})
                      </option>
                    ))}
                </Select>
                {adding && <SettingsForm key={adding} id="new-override" initial={{}} partial readOnly={false} url={airlockApi.datasetSettings(adding)} onSaved={() => setAdding('')} />}
              </div>
            )}
          </section>
        </>
      )}
    </>
  );
}

function SettingsForm({ id, initial, partial, readOnly, url, removable = false, onSaved }: { id: string; initial: Partial<SdcSettings>; partial: boolean; readOnly: boolean; url: string; removable?: boolean; onSaved?: () => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<SettingsDraft>(() => toDraft(initial));
  const [errors, setErrors] = useState<DraftError[]>([]);
  const [saved, setSaved] = useState(false);
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: airlockKeys.settings });
    onSaved?.();
  };
  const save = useMutation({ mutationFn: (body: Partial<SdcSettings>) => api.put<unknown>(url, body), onSuccess: async () => { setSaved(true); await refresh(); } });
  const remove = useMutation({ mutationFn: () => api.delete<void>(url), onSuccess: refresh });
  const set = <K extends keyof SettingsDraft>(key: K, value: SettingsDraft[K]) => {
    setSaved(false);
    setDraft({ ...draft, [key]: value });
  };
  const errorOf = (field: keyof SettingsDraft) => {
    const found = errors.filter((e) => e.field === field);
    if (found.length === 0) return {};
    const lines = found.map((e) => e.line).filter((l): l is number => l !== undefined);
    return { state: 'error' as const, stateRelatedMessage: lines.length ? t('airlock.settings.badLines', { lines: lines.join(', ') }) : t('airlock.settings.bad') };
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const result = fromDraft(draft, partial);
    setErrors(result.errors);
    if (result.errors.length === 0) save.mutate(result.settings);
  };
  const inherit = partial ? t('airlock.settings.inherit') : undefined;
  const field = (key: 'threshold' | 'pPercent' | 'minResidualDf' | 'roundingBase', min: number) => (
    <Input
      label={t(`airlock.settings.${key}`)}
      hintText={[t(`airlock.settings.${key}Hint`), inherit].filter(Boolean).join(' ')}
      disabled={readOnly}
      {...errorOf(key)}
      nativeInputProps={{ id: `${id}-${key}`, type: 'number', min, step: key === 'pPercent' ? 'any' : 1, value: draft[key], onChange: (e) => set(key, e.target.value) }}
    />
  );
  return (
    <form onSubmit={submit} id={id} noValidate>
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-6">
          {field('threshold', 1)}
          <Select label={t('airlock.settings.zeroCells')} hint={t('airlock.settings.zeroCellsHint')} disabled={readOnly} {...errorOf('zeroCells')} nativeSelectProps={{ id: `${id}-zeroCells`, value: draft.zeroCells, onChange: (e) => set('zeroCells', e.target.value as SettingsDraft['zeroCells']) }}>
            <option value="">{partial ? t('airlock.settings.inheritOption') : '—'}</option>
            <option value="review">{t('airlock.settings.zeroReview')}</option>
            <option value="pass">{t('airlock.settings.zeroPass')}</option>
          </Select>
          <Input
            textArea
            label={t('airlock.settings.dominance')}
            hintText={[t('airlock.settings.dominanceHint'), inherit].filter(Boolean).join(' ')}
            disabled={readOnly}
            {...errorOf('dominance')}
            nativeTextAreaProps={{ id: `${id}-dominance`, rows: 3, value: draft.dominance, onChange: (e) => set('dominance', e.target.value) }}
          />
          {field('pPercent', 0)}
        </div>
        <div className="fr-col-12 fr-col-md-6">
          {field('minResidualDf', 0)}
          {field('roundingBase', 2)}
          <Select label={t('airlock.settings.differencing')} hint={t('airlock.settings.differencingHint')} disabled={readOnly} {...errorOf('differencing')} nativeSelectProps={{ id: `${id}-differencing`, value: draft.differencing, onChange: (e) => set('differencing', e.target.value as SettingsDraft['differencing']) }}>
            <option value="">{partial ? t('airlock.settings.inheritOption') : '—'}</option>
            <option value="on">{t('airlock.settings.on')}</option>
            <option value="off">{t('airlock.settings.off')}</option>
          </Select>
          <Input
            textArea
            label={t('airlock.settings.potentialIdentifiers')}
            hintText={[t('airlock.settings.potentialIdentifiersHint'), inherit].filter(Boolean).join(' ')}
            disabled={readOnly}
            nativeTextAreaProps={{ id: `${id}-potentialIdentifiers`, rows: 5, value: draft.potentialIdentifiers, onChange: (e) => set('potentialIdentifiers', e.target.value) }}
          />
        </div>
      </div>
      <ErrorAlert error={save.error ?? remove.error} />
      {saved && (
        <p className="fr-message fr-message--valid" role="status" id={`${id}-saved`}>
          {t('common.saved')}
        </p>
      )}
      {!readOnly && (
        <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
          <li>
            <Button type="submit" disabled={save.isPending} id={`${id}-save`}>
              {t('airlock.settings.save')}
            </Button>
          </li>
          {removable && (
            <li>
              <Button type="button" priority="tertiary" iconId="fr-icon-delete-line" disabled={remove.isPending} onClick={() => remove.mutate()}>
                {t('airlock.settings.remove')}
              </Button>
            </li>
          )}
        </ul>
      )}
    </form>
  );
}
