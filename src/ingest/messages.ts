import { registerMessages } from '../platform/errors.js';

registerMessages({
  'ingest.forbidden': { fr: 'Vous ne pouvez pas charger de données dans la table {table}.', en: 'You may not load data into table {table}.' },
  'ingest.upload_not_found': { fr: 'Téléversement introuvable.', en: 'Upload not found.' },
  'ingest.upload_closed': { fr: 'Ce téléversement est terminé ({status}).', en: 'This upload is closed ({status}).' },
  'ingest.bad_offset': { fr: 'Le morceau doit commencer à l’octet {expected} (reçu : {offset}).', en: 'The chunk must start at byte {expected} (got {offset}).' },
  'ingest.upload_busy': { fr: 'Un autre morceau de ce fichier est en cours d’envoi.', en: 'Another chunk of this file is being sent.' },
  'ingest.chunk_too_large': { fr: 'Morceau trop grand (maximum {limit} octets).', en: 'Chunk too large (at most {limit} bytes).' },
  'ingest.upload_incomplete': { fr: 'Fichier incomplet : {received} octets reçus sur {size}.', en: 'Incomplete file: {received} of {size} bytes received.' },
  'ingest.load_not_found': { fr: 'Chargement introuvable.', en: 'Load not found.' },
  'ingest.not_publishable': { fr: 'Seul un chargement validé peut être publié (statut : {status}).', en: 'Only a validated load can be published (status: {status}).' },
  'ingest.not_discardable': { fr: 'Ce chargement ne peut plus être abandonné (statut : {status}).', en: 'This load can no longer be discarded (status: {status}).' },
  'ingest.output_missing': { fr: 'Le résultat validé de ce chargement a disparu ; relancez-le.', en: 'The validated output of this load is gone; run it again.' },
  'ingest.no_quarantine': { fr: 'Aucune ligne mise en quarantaine pour ce chargement.', en: 'No quarantined rows for this load.' },
});
