/**
 * Results released through the output airlock and published by the project's lead, on the
 * project's public registry entry: name, context, release date, fingerprint, download.
 */
import { useI18n } from '../i18n.ts';
import type { PublishedResult } from './types.ts';

export function RegistryResults({ results }: { results: PublishedResult[] }) {
  const { t, formatDateTime } = useI18n();
  if (results.length === 0) return null;
  return (
    <ul className="hdh-registry-released fr-mb-0">
      {results.map((r) => (
        <li key={r.fileId} data-file={r.fileId}>
          <a href={r.url} download={r.name}>
            {r.name}
          </a>{' '}
          <span className="fr-text--xs">{t('airlock.registry.releasedAt', { date: formatDateTime(r.releasedAt) })}</span>
          <p className="fr-text--sm fr-mb-1v hdh-sdc-context">{r.context}</p>
          <p className="fr-text--xs fr-mb-1w">
            SHA-256 <code>{r.sha256}</code>
          </p>
        </li>
      ))}
    </ul>
  );
}
