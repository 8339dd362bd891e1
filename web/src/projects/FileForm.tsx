/** The file (fiche) of a project: create it (POST) or edit it (PATCH); the server's located errors show below. */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api.ts';
import { useI18n, type MessageKey } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { initialParties, MethodologyFields, OrganisationTypeSelect, PartiesFields, partiesBody, type PartiesValues } from './PartiesFields.tsx';
import { legalRoutes, projectPaths, type LegalRoute, type Project } from './types.ts';

const texts = ['summary', 'purpose', 'objectives', 'publicInterest', 'methodology', 'expectedResults'] as const;

interface Values extends PartiesValues {
  title: string;
  legalRoute: LegalRoute;
  summary: string;
  purpose: string;
  objectives: string;
  publicInterest: string;
  methodology: string;
  expectedResults: string;
  controller: string;
  coController: string;
  medicalDomains: string;
  publicServiceMission: boolean;
  requestedEndDate: string;
}

function initial(p?: Project): Values {
  return {
    title: p?.title ?? '',
    legalRoute: p?.legalRoute ?? 'cnil_authorisation',
    summary: p?.summary ?? '',
    purpose: p?.purpose ?? '',
    objectives: p?.objectives ?? '',
    publicInterest: p?.publicInterest ?? '',
    methodology: p?.methodology ?? '',
    expectedResults: p?.expectedResults ?? '',
    controller: p?.dataControllers.find((c) => c.kind === 'rt')?.name ?? '',
    coController: p?.dataControllers.find((c) => c.kind === 'co_rt')?.name ?? '',
    medicalDomains: p?.medicalDomains.join(', ') ?? '',
    publicServiceMission: p?.publicServiceMission ?? false,
    requestedEndDate: p?.requestedEndDate ?? '',
    ...initialParties(p),
  };
}

export function FileForm({ project }: { project?: Project }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [v, setV] = useState<Values>(() => initial(project));
  const [saved, setSaved] = useState(false);
  const set = (patch: Partial<Values>) => setV((old) => ({ ...old, ...patch }));
  const mutation = useMutation({
    mutationFn: (body: Record<string, unknown>) => (project ? api.patch<Project>(`/api/projects/${project.id}`, body) : api.post<Project>('/api/projects', body)),
    onSuccess: async (p) => {
      await queryClient.invalidateQueries({ queryKey: ['project', p.id] });
      await queryClient.invalidateQueries({ queryKey: ['projects'] });
      if (project) setSaved(true);
      else await navigate(projectPaths.edit(p.id));
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const body: Record<string, unknown> = { title: v.title, legalRoute: v.legalRoute, publicServiceMission: v.publicServiceMission };
    for (const k of texts) if (v[k].trim()) body[k] = v[k];
    const controller = (name: string, kind: 'rt' | 'co_rt', type: PartiesValues['controllerType']) => ({ name: name.trim(), kind, ...(type ? { organisationType: type } : {}) });
    const controllers = [
      ...(v.controller.trim() ? [controller(v.controller, 'rt', v.controllerType)] : []),
      ...(v.coController.trim() ? [controller(v.coController, 'co_rt', v.coControllerType)] : []),
    ];
    Object.assign(body, partiesBody(v, v.legalRoute === 'reference_methodology'));
    body.dataControllers = controllers;
    body.medicalDomains = v.medicalDomains.split(',').map((x) => x.trim()).filter(Boolean);
    if (v.requestedEndDate) body.requestedEndDate = v.requestedEndDate;
    mutation.mutate(body);
  };
  const input = (name: 'title' | 'controller' | 'coController' | 'medicalDomains' | 'requestedEndDate', label: MessageKey, type = 'text') => (
    <div className="fr-input-group">
      <label className="fr-label" htmlFor={`file-${name}`}>{t(label)}</label>
      <input className="fr-input" id={`file-${name}`} name={name} type={type} value={v[name]} onChange={(e) => setV({ ...v, [name]: e.target.value })} />
    </div>
  );
  return (
    <form className="hdh-file-form fr-mb-4w" onSubmit={submit}>
      {input('title', 'project.title')}
      <div className="fr-select-group">
        <label className="fr-label" htmlFor="file-legalRoute">{t('project.legalRoute')}</label>
        <select className="fr-select" id="file-legalRoute" name="legalRoute" value={v.legalRoute} onChange={(e) => setV({ ...v, legalRoute: e.target.value as LegalRoute })}>
          {legalRoutes.map((r) => <option key={r} value={r}>{t(`project.route.${r}`)}</option>)}
        </select>
      </div>
      {texts.map((k) => (
        <div className="fr-input-group" key={k}>
          <label className="fr-label" htmlFor={`file-${k}`}>{t(`project.${k}`)}</label>
          <textarea className="fr-input" id={`file-${k}`} name={k} rows={3} value={v[k]} onChange={(e) => setV({ ...v, [k]: e.target.value })} />
        </div>
      ))}
      {v.legalRoute === 'reference_methodology' && <MethodologyFields v={v} set={set} />}
      <div className="hdh-controller-row">
        {input('controller', 'project.controller')}
        <OrganisationTypeSelect id="file-controllerType" value={v.controllerType} onChange={(controllerType) => set({ controllerType })} />
      </div>
      <div className="hdh-controller-row">
        {input('coController', 'project.coController')}
        <OrganisationTypeSelect id="file-coControllerType" value={v.coControllerType} onChange={(coControllerType) => set({ coControllerType })} />
      </div>
      <PartiesFields v={v} set={set} />
      {input('medicalDomains', 'project.medicalDomainsHint')}
      {input('requestedEndDate', 'project.requestedEndDate', 'date')}
      <div className="fr-checkbox-group fr-mb-3w">
        <input type="checkbox" id="file-publicServiceMission" name="publicServiceMission" checked={v.publicServiceMission} onChange={(e) => setV({ ...v, publicServiceMission: e.target.checked })} />
        <label className="fr-label" htmlFor="file-publicServiceMission">{t('project.publicServiceMission')}</label>
      </div>
      <ErrorAlert error={mutation.error} />
      {saved && <p className="fr-message fr-message--valid">{t('common.saved')}</p>}
      <Button type="submit" disabled={mutation.isPending}>{project ? t('project.saveFile') : t('project.create')}</Button>
    </form>
  );
}
