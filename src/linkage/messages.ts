/** Bilingual messages of the linkage errors. */
import { registerMessages } from '../platform/errors.js';

registerMessages({
  'linkage.file_unreadable': { fr: 'Fichier {file} illisible : {reason}', en: 'Cannot read {file}: {reason}' },
  'linkage.file_format': { fr: 'Format de fichier non pris en charge pour {file} : CSV ou Parquet attendu.', en: 'Unsupported file format for {file}: CSV or Parquet expected.' },
  'linkage.file_not_found': { fr: 'Fichier introuvable : {file}.', en: 'File not found: {file}.' },
  'linkage.column_missing': { fr: 'Colonne(s) absente(s) de {file} : {columns}.', en: 'Column(s) missing from {file}: {columns}.' },
  'linkage.source_id_missing': { fr: 'Identifiant d’enregistrement vide dans {file}, ligne {line}.', en: 'Empty record id in {file}, line {line}.' },
  'linkage.source_id_duplicate': { fr: 'Identifiant d’enregistrement « {id} » en double dans {file}, ligne {line}.', en: 'Duplicate record id "{id}" in {file}, line {line}.' },
  'linkage.release_not_found': { fr: 'Version de données introuvable : {name} v{version}.', en: 'Release not found: {name} v{version}.' },
  'linkage.table_not_found': { fr: 'Table {table} absente de {name} v{version}.', en: 'Table {table} is not in {name} v{version}.' },
  'linkage.column_not_found': { fr: 'Colonne {column} absente de la table {table}.', en: 'Column {column} is not in table {table}.' },
  'linkage.run_not_found': { fr: 'Appariement introuvable : {id}.', en: 'Linkage run not found: {id}.' },
  'linkage.upload_not_found': { fr: 'Fichier déposé introuvable ou déjà utilisé : {id}.', en: 'Uploaded file not found or already used: {id}.' },
  'linkage.upload_empty': { fr: 'Le fichier déposé est vide.', en: 'The uploaded file is empty.' },
  'linkage.local_paths_forbidden': { fr: 'Seul un opérateur en ligne de commande peut désigner des fichiers locaux.', en: 'Only a command-line operator may name local files.' },
  'linkage.engine_failed': { fr: 'Le moteur d’analyse a échoué ({kind}).', en: 'The analytics engine failed ({kind}).' },
  'linkage.interrupted': { fr: 'Appariement interrompu par l’arrêt du hub.', en: 'Linkage interrupted by a hub shutdown.' },
  'linkage.no_reference_person': { fr: 'Aucun NIR valide dans le fichier de référence {file}.', en: 'No valid NIR in the reference file {file}.' },
});
