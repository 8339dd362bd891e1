/**
 * Public page — no account: a person records an opposition (droit d'opposition) with their NIR
 * and birth date, and is shown the receipt reference once. What is kept, why the birth date is
 * asked and what the opposition covers are said before the form (PR-01, PR-02, PR-05).
 */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { useI18n, type MessageKey } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { ErrorSummary } from './ErrorSummary.tsx';
import { fieldErrorsFrom, missingFields, type FieldErrors, type OptoutField } from './fieldErrors.ts';

interface Receipt {
  receipt: string;
  recordedAt: string;
}

const order: readonly OptoutField[] = ['nir', 'birthDate'];
const labels: Record<OptoutField, MessageKey> = { nir: 'optout.nir', birthDate: 'optout.birthDate', receipt: 'optout.receipt' };
const idOf = (field: OptoutField) => `opposition-${field}`;

export function OppositionPage() {
  const { t } = useI18n();
  const [nir, setNir] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [errors, setErrors] = useState<FieldErrors | null>(null);
  const record = useMutation({
    mutationFn: () => api.post<Receipt>('/api/opposition/records', { nir, birthDate }),
    onSuccess: () => {
      // Nothing typed stays in the page once the receipt is shown.
      setNir('');
      setBirthDate('');
    },
    onError: (error) => setErrors(fieldErrorsFrom(error)),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const missing = missingFields({ nir, birthDate });
    setErrors(missing);
    if (!missing) record.mutate();
  }

  if (record.data) return <ReceiptShown receipt={record.data} />;
  return (
    <div className="fr-grid-row">
      <div className="fr-col-12 fr-col-lg-9">
        <h1>{t('optout.title')}</h1>
        <p className="fr-text--lead">{t('optout.lead')}</p>
        <h2 className="fr-h4">{t('optout.about.title')}</h2>
        <ul className="hdh-optout-facts">
          {(['optout.about.effect', 'optout.about.scope', 'optout.about.kept', 'optout.about.traits', 'optout.about.receipt'] as const).map((k) => (
            <li key={k}>{t(k)}</li>
          ))}
        </ul>
        <h2 className="fr-h4" id="opposition-form-title">
          {t('optout.form.title')}
        </h2>
        <ErrorSummary errors={errors} order={order} labels={labels} idOf={idOf} />
        {!errors && <ErrorAlert error={record.error} />}
        <form onSubmit={submit} noValidate aria-labelledby="opposition-form-title">
          <Input
            label={t('optout.nir')}
            hintText={t('optout.nir.hint')}
            state={errors?.nir ? 'error' : 'default'}
            stateRelatedMessage={errors?.nir ? t(errors.nir) : undefined}
            nativeInputProps={{ id: idOf('nir'), name: 'nir', value: nir, onChange: (e) => setNir(e.target.value), autoComplete: 'off', spellCheck: false, required: true, maxLength: 40, 'aria-invalid': errors?.nir ? true : undefined }}
          />
          <Input
            label={t('optout.birthDate')}
            hintText={t('optout.birthDate.hint')}
            state={errors?.birthDate ? 'error' : 'default'}
            stateRelatedMessage={errors?.birthDate ? t(errors.birthDate) : undefined}
            nativeInputProps={{ id: idOf('birthDate'), name: 'birthDate', type: 'date', value: birthDate, onChange: (e) => setBirthDate(e.target.value), autoComplete: 'bday', required: true, 'aria-invalid': errors?.birthDate ? true : undefined }}
          />
          <Button type="submit" disabled={record.isPending}>
            {record.isPending ? t('optout.sending') : t('optout.submit')}
          </Button>
        </form>
        <p className="fr-mt-4w">
          <Link to="/opposition/retrait" className="fr-link fr-icon-arrow-right-line fr-link--icon-right">
            {t('optout.withdrawLink')}
          </Link>
        </p>
      </div>
    </div>
  );
}

function ReceiptShown({ receipt }: { receipt: Receipt }) {
  const { t, formatDateTime } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className="fr-grid-row">
      <div className="fr-col-12 fr-col-lg-9">
        <h1 ref={heading} tabIndex={-1}>
          {t('optout.done.title')}
        </h1>
        <p>{t('optout.done.at', { date: formatDateTime(receipt.recordedAt) })}</p>
        <div className="fr-p-3w fr-mb-3w hdh-panel">
          <p className="fr-mb-1w">{t('optout.done.receipt')}</p>
          <p className="hdh-receipt fr-mb-0" data-testid="receipt">
            {receipt.receipt}
          </p>
        </div>
        <Alert className="fr-mb-3w" severity="warning" small description={t('optout.done.keep')} />
        <div className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left hdh-no-print">
          <Button
            priority="secondary"
            iconId="fr-icon-clipboard-line"
            onClick={() => {
              navigator.clipboard?.writeText(receipt.receipt).then(
                () => setCopied(true),
                () => setCopied(false),
              );
            }}
          >
            {t('optout.done.copy')}
          </Button>
          <Button priority="secondary" iconId="fr-icon-printer-line" onClick={() => window.print()}>
            {t('optout.done.print')}
          </Button>
        </div>
        <p role="status" className="fr-text--sm">
          {copied ? t('optout.done.copied') : ''}
        </p>
        <p className="hdh-no-print">
          <Link to="/opposition/retrait" className="fr-link">
            {t('optout.withdrawLink')}
          </Link>
        </p>
      </div>
    </div>
  );
}
