/** Bilingual messages of the synthetic-data errors. */
import { registerMessages } from '../platform/errors.js';

registerMessages({
  'synthetic.unknown_table': { fr: 'Table inconnue : {table}.', en: 'Unknown table: {table}.' },
  'synthetic.unknown_field': { fr: 'Colonne inconnue : {table}.{field}.', en: 'Unknown column: {table}.{field}.' },
  'synthetic.no_nomenclature': { fr: 'La colonne {table}.{field} n’a pas de nomenclature dont tirer ses codes.', en: 'Column {table}.{field} has no nomenclature to draw its codes from.' },
  'synthetic.nomenclature_missing': { fr: 'Nomenclature {nomenclature} introuvable pour {table}.{field}.', en: 'Nomenclature {nomenclature} not found for {table}.{field}.' },
  'synthetic.code_not_in_nomenclature': { fr: 'Codes absents de la nomenclature de {table}.{field} : {codes}.', en: 'Codes missing from the nomenclature of {table}.{field}: {codes}.' },
  'synthetic.field_unsupported': { fr: 'Le générateur ne sait pas produire {table}.{field}.', en: 'The generator cannot produce {table}.{field}.' },
  'synthetic.invalid_parameter': { fr: 'Paramètre {parameter} invalide : {reason}.', en: 'Invalid parameter {parameter}: {reason}.' },
  'synthetic.unsatisfiable': { fr: 'Schéma impossible à satisfaire pour {table}.{field} : {reason}.', en: 'Unsatisfiable schema for {table}.{field}: {reason}.' },
  'synthetic.release_not_found': { fr: 'Version de données introuvable : {name} v{version}.', en: 'Release not found: {name} v{version}.' },
  'synthetic.table_not_found': { fr: 'Table {table} absente de {name} v{version}.', en: 'Table {table} is not in {name} v{version}.' },
});
