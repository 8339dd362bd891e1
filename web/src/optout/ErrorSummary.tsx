/**
 * The list of a form's errors at its top, each a link to its field, focused when it appears so a
 * screen reader announces it (the pattern of the French and British government design systems).
 */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { useEffect, useRef } from 'react';
import { useI18n, type MessageKey } from '../i18n.ts';
import { orderedErrors, type FieldErrors, type OptoutField } from './fieldErrors.ts';

export function ErrorSummary({ errors, order, labels, idOf }: { errors: FieldErrors | null; order: readonly OptoutField[]; labels: Record<OptoutField, MessageKey>; idOf: (field: OptoutField) => string }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (errors) ref.current?.focus();
  }, [errors]);
  if (!errors) return null;
  const list = orderedErrors(errors, order);
  return (
    <div ref={ref} tabIndex={-1} className="fr-mb-3w" data-testid="error-summary">
      <Alert
        severity="error"
        title={t('optout.errors.title', { count: list.length })}
        description={
          <ul>
            {list.map(([field, message]) => (
              <li key={field}>
                <a href={`#${idOf(field)}`}>
                  {t(labels[field])} : {t(message)}
                </a>
              </li>
            ))}
          </ul>
        }
      />
    </div>
  );
}
