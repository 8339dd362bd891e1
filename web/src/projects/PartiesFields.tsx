/**
 * The parts of the file about who is responsible: the data controllers' organisation types
 * (PR-07 lists RT 1–3 and their type), the RMO (responsable de la mise en œuvre), the
 * subcontractors (sous-traitants), and on the reference-methodology route the methodology
 * followed and the declaration of conformity (LC-09).
 */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useI18n } from '../i18n.ts';
import { organisationTypes, referenceMethodologies, type OrganisationType, type Party, type ReferenceMethodology } from './types.ts';

export interface PartiesValues {
  controllerType: OrganisationType | '';
  coControllerType: OrganisationType | '';
  rmoName: string;
  rmoRole: string;
  subcontractors: Party[];
  referenceMethodology: ReferenceMethodology | '';
  conformityReference: string;
  conformityDeclaredOn: string;
}

export function OrganisationTypeSelect({ id, value, onChange }: { id: string; value: OrganisationType | ''; onChange: (v: OrganisationType | '') => void }) {
  const { t } = useI18n();
  return (
    <div className="fr-select-group">
      <label className="fr-label" htmlFor={id}>{t('file.organisationTypeLabel')}</label>
      <select className="fr-select" id={id} name={id} value={value} onChange={(e) => onChange(e.target.value as OrganisationType | '')}>
        <option value="">—</option>
        {organisationTypes.map((o) => <option key={o} value={o}>{t(`file.organisationType.${o}`)}</option>)}
      </select>
    </div>
  );
}

export function PartiesFields({ v, set }: { v: PartiesValues; set: (patch: Partial<PartiesValues>) => void }) {
  const { t } = useI18n();
  const setSub = (i: number, patch: Partial<Party>) => set({ subcontractors: v.subcontractors.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
  return (
    <>
      <fieldset className="fr-fieldset" id="file-rmo">
        <legend className="fr-fieldset__legend">{t('file.rmo')}<span className="fr-hint-text">{t('file.rmoHint')}</span></legend>
        <div className="fr-fieldset__element fr-fieldset__element--inline">
          <div className="fr-input-group">
            <label className="fr-label" htmlFor="file-rmoName">{t('file.partyName')}</label>
            <input className="fr-input" id="file-rmoName" name="rmoName" value={v.rmoName} onChange={(e) => set({ rmoName: e.target.value })} />
          </div>
        </div>
        <div className="fr-fieldset__element fr-fieldset__element--inline">
          <div className="fr-input-group">
            <label className="fr-label" htmlFor="file-rmoRole">{t('file.partyRole')}</label>
            <input className="fr-input" id="file-rmoRole" name="rmoRole" value={v.rmoRole} onChange={(e) => set({ rmoRole: e.target.value })} />
          </div>
        </div>
      </fieldset>
      <fieldset className="fr-fieldset" id="file-subcontractors">
        <legend className="fr-fieldset__legend">{t('file.subcontractors')}<span className="fr-hint-text">{t('file.subcontractorsHint')}</span></legend>
        {v.subcontractors.map((s, i) => (
          <div key={i} className="fr-fieldset__element hdh-party-row">
            <div className="fr-input-group">
              <label className="fr-label" htmlFor={`file-sub-${i}-name`}>{t('file.partyName')}</label>
              <input className="fr-input" id={`file-sub-${i}-name`} value={s.name} onChange={(e) => setSub(i, { name: e.target.value })} />
            </div>
            <div className="fr-input-group">
              <label className="fr-label" htmlFor={`file-sub-${i}-role`}>{t('file.partyRole')}</label>
              <input className="fr-input" id={`file-sub-${i}-role`} value={s.role ?? ''} onChange={(e) => setSub(i, { role: e.target.value })} />
            </div>
            <Button type="button" size="small" priority="tertiary" iconId="fr-icon-delete-line" onClick={() => set({ subcontractors: v.subcontractors.filter((_, j) => j !== i) })}>{t('team.remove')}</Button>
          </div>
        ))}
        <div className="fr-fieldset__element">
          <Button type="button" size="small" priority="secondary" iconId="fr-icon-add-line" onClick={() => set({ subcontractors: [...v.subcontractors, { name: '', role: '' }] })}>{t('file.addSubcontractor')}</Button>
        </div>
      </fieldset>
    </>
  );
}

/** Shown on the reference-methodology route only (MR-004, MR-005, MR-006). */
export function MethodologyFields({ v, set }: { v: PartiesValues; set: (patch: Partial<PartiesValues>) => void }) {
  const { t } = useI18n();
  return (
    <fieldset className="fr-fieldset" id="file-methodology-route">
      <legend className="fr-fieldset__legend">{t('file.mrLegend')}<span className="fr-hint-text">{t('file.mrHint')}</span></legend>
      <div className="fr-fieldset__element">
        <div className="fr-select-group">
          <label className="fr-label" htmlFor="file-referenceMethodology">{t('file.referenceMethodology')}</label>
          <select className="fr-select" id="file-referenceMethodology" name="referenceMethodology" value={v.referenceMethodology} onChange={(e) => set({ referenceMethodology: e.target.value as ReferenceMethodology | '' })}>
            <option value="">—</option>
            {referenceMethodologies.map((m) => <option key={m} value={m}>{m}</option>)}
          </select>
        </div>
      </div>
      <div className="fr-fieldset__element fr-fieldset__element--inline">
        <div className="fr-input-group">
          <label className="fr-label" htmlFor="file-conformityReference">{t('file.conformityReference')}</label>
          <input className="fr-input" id="file-conformityReference" name="conformityReference" value={v.conformityReference} onChange={(e) => set({ conformityReference: e.target.value })} />
        </div>
      </div>
      <div className="fr-fieldset__element fr-fieldset__element--inline">
        <div className="fr-input-group">
          <label className="fr-label" htmlFor="file-conformityDeclaredOn">{t('file.conformityDeclaredOn')}</label>
          <input className="fr-input" id="file-conformityDeclaredOn" name="conformityDeclaredOn" type="date" value={v.conformityDeclaredOn} onChange={(e) => set({ conformityDeclaredOn: e.target.value })} />
        </div>
      </div>
    </fieldset>
  );
}

export function initialParties(p?: { dataControllers: { kind: string; organisationType?: string | null }[]; rmo: Party | null; subcontractors: Party[]; referenceMethodology: ReferenceMethodology | null; conformityDeclaration: { reference: string; declaredOn: string } | null }): PartiesValues {
  const typeOf = (kind: string) => (p?.dataControllers.find((c) => c.kind === kind)?.organisationType ?? '') as OrganisationType | '';
  return {
    controllerType: typeOf('rt'),
    coControllerType: typeOf('co_rt'),
    rmoName: p?.rmo?.name ?? '',
    rmoRole: p?.rmo?.role ?? '',
    subcontractors: p?.subcontractors.map((s) => ({ name: s.name, role: s.role ?? '' })) ?? [],
    referenceMethodology: p?.referenceMethodology ?? '',
    conformityReference: p?.conformityDeclaration?.reference ?? '',
    conformityDeclaredOn: p?.conformityDeclaration?.declaredOn ?? '',
  };
}

/** The request fields of these parts; a blank role is left out, a blank name drops the party. */
export function partiesBody(v: PartiesValues, onMethodologyRoute: boolean) {
  const party = (name: string, role: string): Party => (role.trim() ? { name: name.trim(), role: role.trim() } : { name: name.trim() });
  return {
    rmo: v.rmoName.trim() ? party(v.rmoName, v.rmoRole) : null,
    subcontractors: v.subcontractors.filter((s) => s.name.trim()).map((s) => party(s.name, s.role ?? '')),
    referenceMethodology: onMethodologyRoute && v.referenceMethodology ? v.referenceMethodology : null,
    conformityDeclaration: onMethodologyRoute && v.conformityReference.trim() && v.conformityDeclaredOn ? { reference: v.conformityReference.trim(), declaredOn: v.conformityDeclaredOn } : null,
  };
}
