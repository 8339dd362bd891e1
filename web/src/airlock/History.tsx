/** The votes of a request as the caller may see them (blind until two are in), and its history. */
import { useI18n, type MessageKey } from '../i18n.ts';
import { fr } from '../i18n/fr.ts';
import { DecisionBadge, OutputStatusBadge } from './StatusBadge.tsx';
import type { OutputEvent, VoteView } from './types.ts';

/** A translated label when the key exists, else the server's word as it is (a new action name). */
export function useLabel() {
  const { t } = useI18n();
  return (key: string, fallback: string) => (key in fr ? t(key as MessageKey) : fallback);
}

export function VotesList({ votes, round }: { votes: VoteView[]; round: number }) {
  const { t, formatDateTime } = useI18n();
  return (
    <section aria-labelledby="votes-title" className="fr-mb-4w">
      <h2 id="votes-title" className="fr-h4">
        {t('airlock.votes.title')} <span className="fr-text--sm fr-text--regular">{t('airlock.votes.round', { round })}</span>
      </h2>
      {votes.length === 0 ? (
        <p id="votes-none">{t('airlock.votes.none')}</p>
      ) : (
        <ul id="votes" className="hdh-sdc-events">
          {votes.map((v, i) => (
            <li key={i} data-decision={v.decision ?? 'hidden'}>
              {v.hidden || !v.decision ? (
                <em>{t('airlock.votes.hidden')}</em>
              ) : (
                <>
                  <strong>{v.reviewer?.name ?? t('airlock.votes.reviewer')}</strong> <DecisionBadge decision={v.decision} />
                  {v.at && <span className="fr-text--sm"> — {formatDateTime(v.at)}</span>}
                  {v.comment && <p className="fr-mb-0 hdh-sdc-context">{v.comment}</p>}
                  {v.overrideJustification && (
                    <p className="fr-mb-0 fr-text--sm hdh-sdc-context">
                      <strong>{t('airlock.votes.override')}</strong> {v.overrideJustification}
                    </p>
                  )}
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <p className="fr-hint-text">{t('airlock.votes.blind')}</p>
    </section>
  );
}

export function EventList({ events }: { events: OutputEvent[] }) {
  const { t, formatDateTime } = useI18n();
  const label = useLabel();
  return (
    <section aria-labelledby="events-title" className="fr-mb-4w">
      <h2 id="events-title" className="fr-h4">
        {t('airlock.events.title')}
      </h2>
      {events.length === 0 ? (
        <p>{t('airlock.events.none')}</p>
      ) : (
        <ol id="events" className="hdh-sdc-events">
          {events.map((e, i) => (
            <li key={i} data-action={e.action}>
              <span className="fr-text--sm">{formatDateTime(e.at)}</span> — <strong>{label(`airlock.event.${e.action}`, e.action)}</strong> — {e.actor}
              {e.to && e.to !== e.from && (
                <>
                  {' '}
                  <span aria-hidden="true">→</span> <span className="fr-sr-only">{t('airlock.events.to')}</span>
                  <OutputStatusBadge status={e.to} />
                </>
              )}
              {e.comment && <p className="fr-mb-0 hdh-sdc-context">{e.comment}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
