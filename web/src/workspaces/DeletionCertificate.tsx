/**
 * After the project's end: what was deleted, and when (certificat de suppression, DP-13). The
 * server shows it to the lead and the hub's staff; other members see nothing here.
 */
import { useQuery } from '@tanstack/react-query';
import { api, ApiError } from '../api.ts';
import { Facts } from '../catalog/common.tsx';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { workspaceApi } from './types.ts';

interface Certificate {
  reference: string;
  deletedAt: string;
  deletedBy: string;
  reason: string;
  extracts: { version: number; status: string; totalRows: number; tables: { name: string; rows: number }[] }[];
  scratch: { userId: string; files: number; bytes: number }[];
  kept: string[];
  certificateSha256: string;
}

export function DeletionCertificate({ projectId }: { projectId: string }) {
  const { t, formatDateTime } = useI18n();
  const certificate = useQuery({ queryKey: ['workspace', projectId, 'deletion-certificate'], queryFn: () => api.get<Certificate>(`${workspaceApi(projectId).base}/deletion-certificate`) });
  if (certificate.error instanceof ApiError && (certificate.error.status === 403 || certificate.error.status === 404)) return null;
  if (certificate.error) return <ErrorAlert error={certificate.error} />;
  const c = certificate.data;
  if (!c) return null;
  return (
    <section className="hdh-panel hdh-workspace-panel fr-mb-3w" aria-labelledby="certificate-title" id="deletion-certificate">
      <h2 id="certificate-title" className="fr-h6">{t('ws.certificate.title')}</h2>
      <Facts
        items={[
          [t('ws.certificate.deletedAt'), formatDateTime(c.deletedAt)],
          [t('ws.certificate.deletedBy'), c.deletedBy],
          [t('ws.certificate.reason'), c.reason],
          [t('ws.certificate.extracts'), c.extracts.map((e) => t('ws.certificate.extract', { version: e.version, rows: e.totalRows, tables: e.tables.length })).join(' ; ')],
          [t('ws.certificate.scratch'), t('ws.certificate.scratchFiles', { files: c.scratch.reduce((n, s) => n + s.files, 0), people: c.scratch.length })],
          [t('ws.certificate.kept'), c.kept.join(' ; ')],
          [t('ws.certificate.sha256'), <code key="sha">{c.certificateSha256}</code>],
        ]}
      />
    </section>
  );
}
