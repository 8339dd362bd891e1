/**
 * "Charger des données": a producer picks a catalogue table and a file (CSV or Parquet, up to
 * several GB), chooses what happens to bad rows and to the table's previous content, and sends
 * it in chunks with a progress bar, pause and resume (also after a reload: pick the same file
 * again). When the last byte is in, the load starts and its page shows the validation.
 */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { formatBytes, formatDuration } from './format.ts';
import { TablePicker } from './TablePicker.tsx';
import { ingestPaths, type Load, type LoadMode, type LoadPolicy } from './types.ts';
import { forgetUpload, resumableUpload, sendFile, type Transfer } from './uploader.ts';
import './ingest.css';

type Phase = 'idle' | 'sending' | 'pausing' | 'paused' | 'starting' | 'error';

/** One file's transfer and the load started after it; stops (as a pause) when the page goes away. */
function useTransfer() {
  const navigate = useNavigate();
  const stop = useRef(false);
  const [phase, setPhase] = useState<Phase>('idle');
  const [progress, setProgress] = useState<Transfer | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(
    () => () => {
      stop.current = true;
    },
    [],
  );
  async function run(file: File, table: string, options: { policy: LoadPolicy; mode: LoadMode }) {
    stop.current = false;
    setError(null);
    setPhase('sending');
    try {
      const upload = await sendFile({ file, table, onProgress: setProgress, shouldStop: () => stop.current });
      if (upload.status !== 'complete') {
        setPhase('paused');
        return;
      }
      setPhase('starting');
      const load = await api.post<Load>(`/api/ingest/uploads/${upload.id}/loads`, options);
      forgetUpload(file);
      await navigate(ingestPaths.load(load.id));
    } catch (err) {
      setError(err);
      setPhase('error');
    }
  }
  return {
    phase,
    progress,
    error,
    run: (file: File, table: string, options: { policy: LoadPolicy; mode: LoadMode }) => void run(file, table, options),
    pause: () => {
      stop.current = true;
      setPhase('pausing');
    },
    reset: () => {
      setPhase('idle');
      setProgress(null);
      setError(null);
    },
  };
}

export function UploadPage() {
  const { t, lang } = useI18n();
  const [params] = useSearchParams();
  const [table, setTable] = useState(params.get('table') ?? '');
  const [file, setFile] = useState<File | null>(null);
  const [policy, setPolicy] = useState<LoadPolicy>('reject');
  const [mode, setMode] = useState<LoadMode>('replace');
  const transfer = useTransfer();
  const busy = transfer.phase === 'sending' || transfer.phase === 'pausing' || transfer.phase === 'starting';
  // A file sent in part earlier (same name, size and date): the server says how far it got.
  const earlier = useQuery({
    queryKey: ['ingest', 'resume', file?.name, file?.size, file?.lastModified, table],
    queryFn: () => resumableUpload(file!, table),
    enabled: !!file && !!table && transfer.phase === 'idle',
    staleTime: 0,
    gcTime: 0,
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (file && table && !busy) transfer.run(file, table, { policy, mode });
  }
  const choose = (next: () => void) => {
    next();
    transfer.reset();
  };

  const p = transfer.progress;
  const percent = p && p.size > 0 ? Math.floor((p.sent / p.size) * 100) : 0;
  const resumeFrom = earlier.data && earlier.data.received > 0 ? earlier.data : null;
  return (
    <>
      <h1>{t('ingest.uploadTitle')}</h1>
      <p>{t('ingest.uploadLead')}</p>
      <p>
        <Link to={ingestPaths.history} className="fr-link fr-icon-time-line fr-link--icon-left">{t('ingest.historyLink')}</Link>
      </p>
      <form onSubmit={submit} aria-label={t('ingest.uploadTitle')} className="hdh-ingest-form">
        <TablePicker value={table} onChange={(name) => choose(() => setTable(name))} disabled={busy} />

        <div className="fr-upload-group fr-mb-4w">
          <label className="fr-label" htmlFor="ingest-file">
            {t('ingest.file')}
            <span className="fr-hint-text">{t('ingest.fileHint')}</span>
          </label>
          <input
            className="fr-upload"
            type="file"
            id="ingest-file"
            name="file"
            accept=".csv,.txt,.tsv,.parquet,text/csv,text/plain"
            disabled={busy}
            onChange={(e) => {
              const picked = e.target.files?.[0] ?? null;
              choose(() => setFile(picked));
            }}
          />
          {file && <p className="fr-hint-text fr-mt-1w" id="ingest-file-size">{t('ingest.fileChosen', { name: file.name, size: formatBytes(file.size, lang) })}</p>}
        </div>
        {resumeFrom && transfer.phase === 'idle' && (
          <Alert
            className="fr-mb-3w"
            severity="info"
            small
            description={<span id="ingest-resume">{t(resumeFrom.status === 'complete' ? 'ingest.resumeComplete' : 'ingest.resumeFound', { percent: Math.floor((resumeFrom.received / resumeFrom.size) * 100), sent: formatBytes(resumeFrom.received, lang) })}</span>}
          />
        )}

        <RadioButtons
          legend={t('ingest.policy')}
          name="policy"
          disabled={busy}
          options={(['reject', 'quarantine'] as const).map((value) => ({
            label: t(`ingest.policy.${value}`),
            hintText: t(`ingest.policy.${value}.hint`),
            nativeInputProps: { value, checked: policy === value, onChange: () => setPolicy(value) },
          }))}
        />
        <RadioButtons
          legend={t('ingest.mode')}
          name="mode"
          disabled={busy}
          options={(['replace', 'append'] as const).map((value) => ({
            label: t(`ingest.mode.${value}`),
            hintText: t(`ingest.mode.${value}.hint`),
            nativeInputProps: { value, checked: mode === value, onChange: () => setMode(value) },
          }))}
        />

        {p && transfer.phase !== 'idle' && (
          <div className="fr-mb-3w hdh-ingest-progress">
            <label htmlFor="ingest-progress" className="fr-label">{t('ingest.progressLabel', { name: file?.name ?? '' })}</label>
            <progress id="ingest-progress" max={p.size || 1} value={p.sent} aria-describedby="ingest-progress-text">{percent} %</progress>
            <p className="fr-text--sm" id="ingest-progress-text" aria-live="polite">
              {t('ingest.progressText', { percent, sent: formatBytes(p.sent, lang), size: formatBytes(p.size, lang) })}
              {p.bytesPerSecond !== null && ` — ${t('ingest.speed', { speed: formatBytes(p.bytesPerSecond, lang) })}`}
              {p.secondsLeft !== null && p.sent < p.size && ` — ${t('ingest.remaining', { time: formatDuration(p.secondsLeft, lang) })}`}
            </p>
          </div>
        )}
        <p className="fr-sr-only" role="status">{transfer.phase === 'paused' ? t('ingest.paused') : transfer.phase === 'starting' ? t('ingest.starting') : ''}</p>
        {transfer.phase === 'paused' && <Alert className="fr-mb-3w" severity="info" small description={t('ingest.pausedHint')} />}
        {transfer.phase === 'starting' && <p>{t('ingest.starting')}</p>}
        <ErrorAlert error={transfer.error} />

        <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
          {transfer.phase === 'sending' || transfer.phase === 'pausing' ? (
            <li>
              <Button type="button" priority="secondary" iconId="fr-icon-pause-circle-line" disabled={transfer.phase === 'pausing'} onClick={transfer.pause}>
                {transfer.phase === 'pausing' ? t('ingest.pausing') : t('ingest.pause')}
              </Button>
            </li>
          ) : (
            <li>
              <Button type="submit" iconId="fr-icon-upload-line" disabled={!file || !table || busy}>
                {transfer.phase === 'paused' || resumeFrom ? t('ingest.resume') : t('ingest.send')}
              </Button>
            </li>
          )}
        </ul>
      </form>
    </>
  );
}
