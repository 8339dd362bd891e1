/** Administrator: the accounts, creation, and changes of roles, end of rights and status (AUTH-02, AUTH-03). */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, type Role, type User } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';

export const allRoles: readonly Role[] = ['project_member', 'project_lead', 'data_producer', 'hub_instructor', 'output_reviewer', 'security_officer', 'administrator'];
const usersKey = ['admin', 'users'] as const;

interface Organisation {
  id: string;
  name: string;
  kind: string;
}

export function UsersPage() {
  const { t, formatDate } = useI18n();
  const users = useQuery({ queryKey: usersKey, queryFn: () => api.get<User[]>('/api/admin/users') });
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <>
      <h1>{t('admin.users')}</h1>
      <CreateUser />
      <ErrorAlert error={users.error} />
      {users.data && (
        <Table
          caption={t('admin.users')}
          fixed={false}
          headers={[t('admin.col.user'), t('admin.organisation'), t('admin.roles'), t('admin.endOfRights'), t('admin.status'), t('admin.mfa'), t('admin.col.actions')]}
          data={users.data.map((u) => [
            <span key="u">
              {u.displayName}
              <br />
              <span className="fr-text--sm">{u.email}</span>
            </span>,
            u.organisationName ?? '',
            u.roles.map((r) => t(`role.${r}`)).join(', '),
            formatDate(u.endOfRights),
            <Badge key="s" small severity={u.status === 'active' ? 'success' : 'error'} noIcon>
              {t(`admin.status.${u.status}`)}
            </Badge>,
            u.secondFactor.totp ? t('admin.yes') : t('admin.no'),
            <Button key="e" size="small" priority="secondary" onClick={() => setEditing(editing === u.id ? null : u.id)}>
              {t('admin.edit')}
            </Button>,
          ])}
        />
      )}
      {editing && users.data?.find((u) => u.id === editing) && <EditUser user={users.data.find((u) => u.id === editing)!} onClose={() => setEditing(null)} />}
    </>
  );
}

function RoleBoxes({ value, onChange, name }: { value: Role[]; onChange: (roles: Role[]) => void; name: string }) {
  const { t } = useI18n();
  return (
    <Checkbox
      legend={t('admin.roles')}
      orientation="horizontal"
      options={allRoles.map((r) => ({
        label: t(`role.${r}`),
        nativeInputProps: { name, value: r, checked: value.includes(r), onChange: (e) => onChange(e.target.checked ? [...value, r] : value.filter((x) => x !== r)) },
      }))}
    />
  );
}

function oneYearFromToday(): string {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d.toISOString().slice(0, 10);
}

function CreateUser() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const organisations = useQuery({ queryKey: ['admin', 'organisations'], queryFn: () => api.get<Organisation[]>('/api/admin/organisations') });
  const empty = { email: '', displayName: '', organisationId: '', roles: ['project_member'] as Role[], endOfRights: oneYearFromToday(), password: '' };
  const [form, setForm] = useState(empty);
  const create = useMutation({
    mutationFn: () =>
      api.post<User>('/api/admin/users', {
        email: form.email.trim(),
        displayName: form.displayName,
        organisationId: form.organisationId || null,
        roles: form.roles,
        endOfRights: form.endOfRights,
        ...(form.password ? { password: form.password } : {}),
      }),
    onSuccess: async () => {
      setForm(empty);
      await queryClient.invalidateQueries({ queryKey: usersKey });
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }
  return (
    <details className="fr-mb-4w">
      <summary className="fr-btn fr-btn--secondary">{t('admin.create')}</summary>
      <form onSubmit={submit} className="fr-mt-3w">
        {create.isSuccess && <Alert className="fr-mb-3w" severity="success" small description={t('admin.created')} />}
        <ErrorAlert error={create.error} />
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-6">
            <Input label={t('admin.email')} nativeInputProps={{ type: 'email', name: 'email', value: form.email, onChange: (e) => setForm({ ...form, email: e.target.value }) }} />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Input label={t('admin.name')} nativeInputProps={{ name: 'displayName', value: form.displayName, onChange: (e) => setForm({ ...form, displayName: e.target.value }) }} />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Select label={t('admin.organisation')} nativeSelectProps={{ name: 'organisationId', value: form.organisationId, onChange: (e) => setForm({ ...form, organisationId: e.target.value }) }}>
              <option value="">{t('admin.noOrganisation')}</option>
              {organisations.data?.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </Select>
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Input label={t('admin.endOfRights')} nativeInputProps={{ type: 'date', name: 'endOfRights', required: true, value: form.endOfRights, onChange: (e) => setForm({ ...form, endOfRights: e.target.value }) }} />
          </div>
          <div className="fr-col-12">
            <RoleBoxes name="create-roles" value={form.roles} onChange={(roles) => setForm({ ...form, roles })} />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Input label={t('admin.password')} hintText={t('admin.passwordHint')} nativeInputProps={{ type: 'password', name: 'password', autoComplete: 'new-password', value: form.password, onChange: (e) => setForm({ ...form, password: e.target.value }) }} />
          </div>
        </div>
        <Button type="submit" disabled={create.isPending}>
          {t('admin.create')}
        </Button>
      </form>
    </details>
  );
}

function EditUser({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ roles: user.roles, endOfRights: user.endOfRights.slice(0, 10), status: user.status });
  const save = useMutation({
    mutationFn: () => api.patch<User>(`/api/admin/users/${user.id}`, form),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: usersKey });
      onClose();
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }
  return (
    <section className="fr-mt-4w fr-p-3w hdh-panel" aria-label={`${t('admin.edit')} ${user.displayName}`}>
      <h2 className="fr-h4">
        {t('admin.edit')} — {user.displayName}
      </h2>
      <ErrorAlert error={save.error} />
      <form onSubmit={submit}>
        <RoleBoxes name="edit-roles" value={form.roles} onChange={(roles) => setForm({ ...form, roles })} />
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-6">
            <Input label={t('admin.endOfRights')} nativeInputProps={{ type: 'date', value: form.endOfRights, onChange: (e) => setForm({ ...form, endOfRights: e.target.value }) }} />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Select label={t('admin.status')} nativeSelectProps={{ value: form.status, onChange: (e) => setForm({ ...form, status: e.target.value as User['status'] }) }}>
              <option value="active">{t('admin.status.active')}</option>
              <option value="disabled">{t('admin.status.disabled')}</option>
            </Select>
          </div>
        </div>
        <ul className="fr-btns-group fr-btns-group--inline-md">
          <li>
            <Button type="submit" disabled={save.isPending}>
              {t('admin.save')}
            </Button>
          </li>
          <li>
            <Button type="button" priority="secondary" onClick={onClose}>
              {t('admin.cancel')}
            </Button>
          </li>
        </ul>
      </form>
    </section>
  );
}
