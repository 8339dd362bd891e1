/** Shows an API error as the server worded it (already in the user's language), or a LocalizedError in ours. */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { ApiError } from '../api.ts';
import { LocalizedError, useI18n } from '../i18n.ts';

export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  const { t } = useI18n();
  if (!error) return null;
  const message = error instanceof LocalizedError ? t(error.key) : error instanceof ApiError || error instanceof Error ? error.message : String(error);
  const details = error instanceof ApiError && Array.isArray(error.details) ? (error.details as { location?: string; message?: string }[]) : [];
  return (
    <Alert
      className="fr-mb-3w"
      severity="error"
      title={title ?? t('app.error')}
      description={
        <>
          {message}
          {details.length > 0 && (
            <ul>
              {details.map((d, i) => (
                <li key={i}>{[d.location, d.message].filter(Boolean).join(' : ')}</li>
              ))}
            </ul>
          )}
        </>
      }
    />
  );
}
