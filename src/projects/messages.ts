/** Bilingual messages of the projects domain's error codes. */
import { registerMessages } from '../platform/errors.js';

registerMessages({
  'project.not_editable': { fr: 'Le dossier ne peut pas être modifié à l’étape « {status} ».', en: 'The file cannot be changed at step “{status}”.' },
  'project.route_locked': { fr: 'La voie d’accès ne peut plus changer une fois le dossier instruit.', en: 'The legal route cannot change once the file is examined.' },
  'project.transition_refused': { fr: 'Action « {action} » impossible à l’étape « {status} » (voie {route}).', en: 'Action “{action}” is not possible at step “{status}” (route {route}).' },
  'project.incomplete': { fr: 'Dossier incomplet : {count} élément(s) manquant(s).', en: 'Incomplete file: {count} missing item(s).' },
  'project.perimeter_invalid': { fr: 'Périmètre invalide : {summary}', en: 'Invalid perimeter: {summary}' },
  'project.perimeter_not_found': { fr: 'Version {version} du périmètre introuvable.', en: 'Perimeter version {version} not found.' },
  'project.date_in_future': { fr: 'La date {field} ne peut pas être dans le futur.', en: 'The date {field} cannot be in the future.' },
  'project.cnil_already_renewed': { fr: 'Le délai de la CNIL ne peut être renouvelé qu’une fois.', en: 'The CNIL time limit can be renewed only once.' },
  'project.conformity_missing': { fr: 'Déclaration de conformité absente (LC-09).', en: 'Declaration of conformity missing (LC-09).' },
  'project.party_required': { fr: 'Précisez au nom de quelle partie vous acceptez la convention.', en: 'Say on behalf of which party you accept the convention.' },
  'project.convention_already_accepted': { fr: 'La partie {party} a déjà accepté la convention.', en: 'Party {party} already accepted the convention.' },
  'project.team_not_ready': { fr: 'Équipe non conforme : {count} problème(s) (charte, dates de fin).', en: 'Team not ready: {count} problem(s) (charter, end dates).' },
  'project.member_unknown': { fr: 'Aucun compte actif pour ce membre.', en: 'No active account for this member.' },
  'project.member_not_found': { fr: 'Cette personne n’est pas membre du projet.', en: 'This person is not a member of the project.' },
  'project.end_date_required': { fr: 'Indiquez d’abord la date de fin du projet.', en: 'Set the project end date first.' },
  'project.member_end_after_project': { fr: 'La date de fin du membre dépasse celle du projet ({end}).', en: 'The member’s end date is after the project’s ({end}).' },
  'project.member_end_after_rights': { fr: 'La date de fin dépasse la fin de droits du compte ({end}).', en: 'The end date is after the account’s end of rights ({end}).' },
  'project.document_not_found': { fr: 'Document introuvable.', en: 'Document not found.' },
  'project.document_corrupt': { fr: 'Le document {name} ne correspond plus à son empreinte.', en: 'Document {name} no longer matches its checksum.' },
  'project.document_missing': { fr: 'Aucun fichier reçu (champ « file »).', en: 'No file received (field “file”).' },
  'project.results_too_early': { fr: 'Les résultats se publient une fois le projet actif (étape actuelle : {status}).', en: 'Results are published once the project is active (current step: {status}).' },
  'project.message_parent_not_found': { fr: 'Message parent introuvable dans ce projet.', en: 'Parent message not found in this project.' },
  'notification.not_found': { fr: 'Notification introuvable.', en: 'Notification not found.' },
  'registry.not_found': { fr: 'Aucun projet public avec la référence {reference}.', en: 'No public project with reference {reference}.' },
});
