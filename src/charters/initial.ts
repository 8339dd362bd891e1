/**
 * The first published version of each charter, so a fresh hub never runs without one. Texts
 * follow the four commitments of the SNDS user charter (AUTH-05) and say that actions are
 * traced (LOG-12). Administrators publish later versions from the admin page.
 */
import type { Db } from '../platform/db/database.js';
import { systemActor } from '../platform/actor.js';
import type { CharterInput, CharterService } from './service.js';
import * as repo from './repo.js';

export const initialCharters: CharterInput[] = [
  {
    kind: 'user',
    title: { fr: 'Charte d’utilisation des données du hub', en: 'Hub data user charter' },
    body: {
      fr: `En accédant aux données du hub, je m’engage à :

1. **Finalité** — n’utiliser les données que pour la finalité du projet autorisé, dans le périmètre et pour la durée autorisés.
2. **Confidentialité** — ne tenter aucune réidentification des personnes, ne communiquer mes identifiants à personne et signaler sans délai tout incident de sécurité.
3. **Sorties** — ne faire sortir de l’espace projet que des résultats anonymes, après contrôle du secret statistique et validation par deux relecteurs.
4. **Traçabilité** — j’ai pris connaissance que **toutes mes actions sont tracées** (connexions, requêtes, exports, consultations) et conservées dans un journal infalsifiable, consultable par le responsable de la sécurité.

Tout manquement peut entraîner la suspension de mes accès et des poursuites.`,
      en: `By accessing the hub's data, I commit to:

1. **Purpose** — use the data only for the authorised project's purpose, within the authorised perimeter and period.
2. **Confidentiality** — attempt no re-identification of any person, share my credentials with no one, and report any security incident without delay.
3. **Outputs** — take out of the project workspace only anonymous results, after statistical disclosure control and approval by two reviewers.
4. **Traceability** — I am informed that **all my actions are traced** (logins, queries, exports, views) in a tamper-evident log that the security officer can read.

Any breach may lead to suspension of my access and to prosecution.`,
    },
  },
  {
    kind: 'producer',
    title: { fr: 'Charte des producteurs de données', en: 'Data producer charter' },
    body: {
      fr: 'Le producteur documente ses bases dans le catalogue, transmet des fichiers conformes au schéma publié, ne transmet les identifiants directs que pour leur pseudonymisation par le hub, et signale toute anomalie de qualité. Ses actions sont tracées.',
      en: 'The producer documents its databases in the catalogue, sends files that match the published schema, sends direct identifiers only for the hub to pseudonymise them, and reports any quality issue. Its actions are traced.',
    },
  },
  {
    kind: 'citizen',
    title: { fr: 'Charte citoyenne', en: 'Citizen charter' },
    body: {
      fr: 'Le hub publie la liste des projets et leurs résultats, explique l’usage fait des données de santé et permet à chacun d’exercer son droit d’opposition à la réutilisation de ses données pour la recherche.',
      en: 'The hub publishes every project and its results, explains how health data are used, and lets everyone exercise their right to object to the reuse of their data for research.',
    },
  },
];

export async function ensureInitialCharters(db: Db, charters: CharterService): Promise<void> {
  for (const input of initialCharters) {
    if (!(await repo.currentCharter(db, input.kind))) await charters.publish(systemActor('bootstrap'), input);
  }
}
