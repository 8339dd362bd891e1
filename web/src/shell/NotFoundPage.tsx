import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { useI18n } from '../i18n.ts';

export function NotFoundPage() {
  const { t } = useI18n();
  return <Alert severity="warning" title={t('notFound.title')} description={t('notFound.text')} />;
}
