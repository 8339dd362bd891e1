/**
 * The column roles of a file (rôle des colonnes), pre-filled with the server's inference: the
 * checks depend on them (a count is checked against the threshold, a magnitude for dominance with
 * its contributors and largest contributions, a model by its residual degrees of freedom).
 * Controlled: the caller keeps the state and saves it.
 */
import { Input } from '@codegouvfr/react-dsfr/Input';
import { useI18n } from '../i18n.ts';
import { columnRoles, type ColumnRole, type ColumnSpec } from './types.ts';

export interface ModelInfo {
  observations: number;
  parameters: number;
}

export function needsModel(columns: readonly ColumnSpec[]): boolean {
  return columns.some((c) => c.role === 'model');
}

/** The spec with the links that no longer apply removed (a count has no contributors column). */
function withRole(spec: ColumnSpec, role: ColumnRole): ColumnSpec {
  const next: ColumnSpec = { name: spec.name, role };
  if ((role === 'magnitude' || role === 'statistic') && spec.units) next.units = spec.units;
  if (role === 'magnitude') {
    if (spec.top1) next.top1 = spec.top1;
    if (spec.top2) next.top2 = spec.top2;
  }
  return next;
}

export function ColumnRolesTable({
  idPrefix,
  columns,
  onChange,
  model,
  onModelChange,
  disabled = false,
}: {
  idPrefix: string;
  columns: ColumnSpec[];
  onChange: (columns: ColumnSpec[]) => void;
  model: ModelInfo | null;
  onModelChange: (model: ModelInfo | null) => void;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const set = (i: number, next: ColumnSpec) => onChange(columns.map((c, j) => (j === i ? next : c)));
  const others = (name: string) => columns.filter((c) => c.name !== name);
  const link = (i: number, spec: ColumnSpec, key: 'units' | 'top1' | 'top2') => {
    const id = `${idPrefix}-${key}-${i}`;
    return (
      <div className="fr-select-group fr-mb-1w">
        <label className="fr-label fr-text--sm" htmlFor={id}>
          {t(`airlock.roles.${key}`)}
        </label>
        <select
          className="fr-select"
          id={id}
          disabled={disabled}
          value={spec[key] ?? ''}
          onChange={(e) => {
            const next = { ...spec };
            if (e.target.value) next[key] = e.target.value;
            else delete next[key];
            set(i, next);
          }}
        >
          <option value="">{t('airlock.roles.none')}</option>
          {others(spec.name).map((c) => (
            <option key={c.name} value={c.name}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
    );
  };

  return (
    <>
      <div className="fr-table fr-table--bordered hdh-sdc-roles">
        <table id={`${idPrefix}-roles`}>
          <caption className="fr-h6">{t('airlock.roles.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('airlock.roles.column')}</th>
              <th scope="col">{t('airlock.roles.role')}</th>
              <th scope="col">{t('airlock.roles.links')}</th>
            </tr>
          </thead>
          <tbody>
            {columns.map((spec, i) => (
              <tr key={spec.name} data-column={spec.name}>
                <th scope="row">
                  <code>{spec.name}</code>
                </th>
                <td>
                  <label className="fr-sr-only" htmlFor={`${idPrefix}-role-${i}`}>
                    {t('airlock.roles.roleOf', { column: spec.name })}
                  </label>
                  <select className="fr-select" id={`${idPrefix}-role-${i}`} name={`role-${spec.name}`} disabled={disabled} value={spec.role} onChange={(e) => set(i, withRole(spec, e.target.value as ColumnRole))}>
                    {columnRoles.map((r) => (
                      <option key={r} value={r}>
                        {t(`airlock.role.${r}`)}
                      </option>
                    ))}
                  </select>
                  <p className="fr-hint-text fr-mb-0">{t(`airlock.roleHint.${spec.role}`)}</p>
                </td>
                <td>
                  {(spec.role === 'magnitude' || spec.role === 'statistic') && link(i, spec, 'units')}
                  {spec.role === 'magnitude' && link(i, spec, 'top1')}
                  {spec.role === 'magnitude' && link(i, spec, 'top2')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {needsModel(columns) && (
        <fieldset className="fr-fieldset" id={`${idPrefix}-model`}>
          <legend className="fr-fieldset__legend fr-text--regular">
            {t('airlock.model.legend')}
            <span className="fr-hint-text">{t('airlock.model.hint')}</span>
          </legend>
          <div className="fr-fieldset__element fr-fieldset__element--inline">
            <Input
              label={t('airlock.model.observations')}
              nativeInputProps={{
                id: `${idPrefix}-observations`,
                type: 'number',
                min: 0,
                required: true,
                disabled,
                value: model?.observations ?? '',
                onChange: (e) => onModelChange({ observations: Number(e.target.value), parameters: model?.parameters ?? 0 }),
              }}
            />
          </div>
          <div className="fr-fieldset__element fr-fieldset__element--inline">
            <Input
              label={t('airlock.model.parameters')}
              nativeInputProps={{
                id: `${idPrefix}-parameters`,
                type: 'number',
                min: 0,
                required: true,
                disabled,
                value: model?.parameters ?? '',
                onChange: (e) => onModelChange({ observations: model?.observations ?? 0, parameters: Number(e.target.value) }),
              }}
            />
          </div>
        </fieldset>
      )}
    </>
  );
}

/** Whether two role lists differ (so that an unchanged form makes no new version). */
export function sameColumns(a: readonly ColumnSpec[], b: readonly ColumnSpec[]): boolean {
  const norm = (c: ColumnSpec) => JSON.stringify([c.name, c.role, c.units ?? null, c.top1 ?? null, c.top2 ?? null]);
  return a.length === b.length && a.every((c, i) => norm(c) === norm(b[i]!));
}
