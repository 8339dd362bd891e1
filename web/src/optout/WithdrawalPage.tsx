/** Public page — no account: a person withdraws an opposition with its receipt reference and the same NIR (PR-03). */
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

const order: readonly OptoutField[] = ['receipt', 'nir'];
const labels: Record<OptoutField, MessageKey> = { nir: 'optout.nir', birthDate: 'optout.birthDate', receipt: 'optout.receipt' };
const idOf = (field: OptoutField) => `withdrawal-${field}`;

export function WithdrawalPage() {
  const { t } = useI18n();
  const [receipt, setReceipt] = useState('');
  const [nir, setNir] = useState('');
  const [errors, setErrors] = useState<FieldErrors | null>(null);
  const withdraw = useMutation({
    mutationFn: () => api.post<{ withdrawnAt: string }>('/api/opposition/withdrawals', { receipt, nir }),
    onSuccess: () => {
      setReceipt('');
      setNir('');
    },
    onError: (error) => setErrors(fieldErrorsFrom(error)),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const missing = missingFields({ receipt, nir });
    setErrors(missing);
    if (!missing) withdraw.mutate();
  }

  if (withdraw.data) return <Withdrawn at={withdraw.data.withdrawnAt} />;
  return (
    <div className="fr-grid-row">
      <div className="fr-col-12 fr-col-lg-9">
        <h1 id="withdrawal-title">{t('optout.withdraw.title')}</h1>
        <p className="fr-text--lead">{t('optout.withdraw.lead')}</p>
        <ErrorSummary errors={errors} order={order} labels={labels} idOf={idOf} />
        {!errors && <ErrorAlert error={withdraw.error} />}
        <form onSubmit={submit} noValidate aria-labelledby="withdrawal-title">
          <Input
            label={t('optout.receipt')}
            hintText={t('optout.receipt.hint')}
            state={errors?.receipt ? 'error' : 'default'}
            stateRelatedMessage={errors?.receipt ? t(errors.receipt) : undefined}
            nativeInputProps={{ id: idOf('receipt'), name: 'receipt', value: receipt, onChange: (e) => setReceipt(e.target.value), autoComplete: 'off', spellCheck: false, required: true, maxLength: 40, 'aria-invalid': errors?.receipt ? true : undefined }}
          />
          <Input
            label={t('optout.nir')}
            hintText={t('optout.nir.hint')}
            state={errors?.nir ? 'error' : 'default'}
            stateRelatedMessage={errors?.nir ? t(errors.nir) : undefined}
            nativeInputProps={{ id: idOf('nir'), name: 'nir', value: nir, onChange: (e) => setNir(e.target.value), autoComplete: 'off', spellCheck: false, required: true, maxLength: 40, 'aria-invalid': errors?.nir ? true : undefined }}
          />
          <Button type="submit" disabled={withdraw.isPending}>
            {t('optout.withdraw.submit')}
          </Button>
        </form>
        <p className="fr-mt-4w">
          <Link to="/opposition" className="fr-link fr-icon-arrow-left-line fr-link--icon-left">
            {t('optout.backToRecord')}
          </Link>
        </p>
      </div>
    </div>
  );
}

function Withdrawn({ at }: { at: string }) {
  const { t, formatDateTime } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <>
      <h1 ref={heading} tabIndex={-1}>
        {t('optout.withdraw.done.title')}
      </h1>
      <p>{t('optout.withdraw.done.at', { date: formatDateTime(at) })}</p>
      <p>
        <Link to="/opposition" className="fr-link">
          {t('optout.backToRecord')}
        </Link>
      </p>
    </>
  );
}
