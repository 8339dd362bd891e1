/**
 * Bilingual messages of the disclosure checks: one per finding code (`Finding.code`, filled from
 * `Finding.params`), one per reason a rule was skipped (`RuleOutcome.skipped`), and the CSV error.
 * `{cell}` reads "row label / column".
 */
import { registerMessages } from '../../platform/errors.js';

registerMessages({
  // SDC-01 threshold
  'sdc.count_below_threshold': {
    fr: '{cell} : effectif {value} inférieur au seuil de {threshold}.',
    en: '{cell}: count {value} is below the threshold of {threshold}.',
  },
  'sdc.negative_count': {
    fr: '{cell} : effectif négatif ({value}) ; un effectif ne peut pas être négatif — vérifiez le rôle de la colonne (une différence d’effectifs isole des personnes).',
    en: '{cell}: negative count ({value}); a count cannot be negative — check the column role (a difference of counts isolates people).',
  },
  'sdc.units_below_threshold': {
    fr: '{cell} : valeur calculée sur {units} unités (colonne {unitsColumn}), moins que le seuil de {threshold}.',
    en: '{cell}: value computed over {units} units (column {unitsColumn}), fewer than the threshold of {threshold}.',
  },
  'sdc.units_unknown': {
    fr: '{cell} : nombre d’unités inconnu (colonne {unitsColumn} vide ou non numérique) ; le seuil ne peut pas être vérifié.',
    en: '{cell}: number of units unknown (column {unitsColumn} empty or not numeric); the threshold cannot be checked.',
  },
  'sdc.units_missing': {
    fr: 'La colonne {column} ({role}) n’indique pas sa colonne d’unités : le seuil ne peut pas être vérifié. Ajoutez le nombre de contributeurs par cellule.',
    en: 'Column {column} ({role}) names no units column: the threshold cannot be checked. Add the number of contributors per cell.',
  },
  'sdc.not_a_number': {
    fr: '{cell} : « {text} » n’est pas un nombre dans une colonne numérique ({role}).',
    en: '{cell}: “{text}” is not a number in a numeric column ({role}).',
  },
  'sdc.empty_cell': {
    fr: '{cell} : cellule vide. Si elle masque une valeur, écrivez « s » (secret) ; si elle vaut zéro, écrivez 0.',
    en: '{cell}: empty cell. If it hides a value, write “s” (suppressed); if it is zero, write 0.',
  },
  // SDC-02 zeros
  'sdc.zero_cell': {
    fr: '{cell} : cellule nulle (0) ; un zéro peut révéler qu’aucune personne du groupe n’a la caractéristique (divulgation d’attribut).',
    en: '{cell}: zero cell (0); a zero may reveal that nobody in the group has the attribute (attribute disclosure).',
  },
  // SDC-03 recomputable suppressions
  'sdc.recomputable_line': {
    fr: '{cell} : cellule masquée recalculable à partir de la marge ({line}) : elle vaut {value}.',
    en: '{cell}: suppressed cell can be recomputed from the margin ({line}): its value is {value}.',
  },
  'sdc.recomputable_system': {
    fr: '{cell} : cellule masquée recalculable en combinant plusieurs lignes et colonnes du tableau : elle vaut {value}.',
    en: '{cell}: suppressed cell can be recomputed by combining several rows and columns of the table: its value is {value}.',
  },
  'sdc.missing_category': {
    fr: '{cell} : le total ({total}) dépasse de {gap} la somme de ses catégories ({sum}) ; une catégorie omise de moins de {threshold} se déduit par différence.',
    en: '{cell}: the total ({total}) exceeds the sum of its categories ({sum}) by {gap}; an omitted category of fewer than {threshold} is found by subtraction.',
  },
  'sdc.recompute_unresolved': {
    fr: '{count} cellules masquées forment un système trop grand pour être vérifié exactement ; vérification manuelle nécessaire.',
    en: '{count} suppressed cells form a system too large to check exactly; manual review needed.',
  },
  // SDC-04 / SDC-05 magnitudes
  'sdc.dominance': {
    fr: '{cell} : les {n} plus gros contributeurs font {share} % du total ({total}), plus que {k} %.',
    en: '{cell}: the top {n} contributors make {share}% of the total ({total}), more than {k}%.',
  },
  'sdc.top_missing': {
    fr: '{cell} : contribution maximale ({topColumn}) absente ; la dominance ne peut pas être vérifiée.',
    en: '{cell}: largest contribution ({topColumn}) missing; dominance cannot be checked.',
  },
  'sdc.dominance_unchecked': {
    fr: 'La colonne {column} (montant) n’a pas de colonne des plus grosses contributions ({needed}) : la règle ne peut pas être vérifiée.',
    en: 'Column {column} (magnitude) has no column of largest contributions ({needed}): the rule cannot be checked.',
  },
  'sdc.negative_magnitude': {
    fr: '{cell} : montant négatif ou contributions négatives ({value}) ; les règles de dominance supposent des contributions positives — à examiner.',
    en: '{cell}: negative amount or contributions ({value}); the dominance rules assume positive contributions — to review.',
  },
  'sdc.p_percent': {
    fr: '{cell} : le reste après les deux plus gros contributeurs ({rest}) fait {ratio} % du plus gros ({top1}), moins que p = {p} % : le deuxième contributeur peut estimer le premier.',
    en: '{cell}: what remains after the two largest contributors ({rest}) is {ratio}% of the largest ({top1}), less than p = {p}%: the second contributor can estimate the first.',
  },
  // SDC-06 models
  'sdc.residual_df': {
    fr: 'Modèle : {observations} observations − {parameters} paramètres = {df} degrés de liberté résiduels, moins que {min}.',
    en: 'Model: {observations} observations − {parameters} parameters = {df} residual degrees of freedom, fewer than {min}.',
  },
  'sdc.model_info_missing': {
    fr: 'Tableau de modèle sans nombre d’observations ni de paramètres : les degrés de liberté résiduels ne peuvent pas être vérifiés.',
    en: 'Model table without the number of observations and parameters: residual degrees of freedom cannot be checked.',
  },
  // SDC-07 row-level data
  'sdc.identifier_column': {
    fr: 'La colonne {column} ressemble à un identifiant de {kind} ({match}) : aucune donnée individuelle ne sort, même pseudonymisée.',
    en: 'Column {column} looks like a {kind} identifier ({match}): no individual-level data leaves, even pseudonymised.',
  },
  'sdc.identifier_values': {
    fr: 'La colonne {column} contient des valeurs qui ressemblent à des {kind} ({share} % des valeurs, {distinct} % distinctes ; ex. {example}).',
    en: 'Column {column} holds values that look like {kind} ({share}% of values, {distinct}% distinct; e.g. {example}).',
  },
  'sdc.potential_identifier': {
    fr: 'La colonne {column} est un identifiant potentiel ({match}) : commune, année-mois de naissance, date de soins, date ou commune de décès ne sortent pas.',
    en: 'Column {column} is a potential identifier ({match}): commune, birth year-month, care date, death date or commune of death do not leave.',
  },
  'sdc.full_dates': {
    fr: 'La colonne {column} contient des dates au jour près ({example}) : une date précise est un identifiant potentiel ; agrégez au mois ou à l’année.',
    en: 'Column {column} holds day-precision dates ({example}): a precise date is a potential identifier; aggregate to month or year.',
  },
  'sdc.one_row_per_person': {
    fr: 'Tous les effectifs de {column} valent 1 ({rows} lignes) : le tableau décrit des personnes une à une.',
    en: 'Every count of {column} is 1 ({rows} rows): the table describes people one by one.',
  },
  'sdc.row_level': {
    fr: 'Aucune colonne d’effectif, de montant ou de statistique, et {rows} lignes distinctes à {distinct} % : ce sont des données individuelles.',
    en: 'No count, magnitude or statistic column, and {rows} rows {distinct}% distinct: this is individual-level data.',
  },
  // SDC-08 rounding
  'sdc.not_rounded': {
    fr: '{cell} : {value} n’est pas un multiple de {base}.',
    en: '{cell}: {value} is not a multiple of {base}.',
  },
  'sdc.total_inconsistent': {
    fr: '{cell} : le total {total} s’écarte de {difference} de la somme des cellules arrondies ({sum}), plus que la tolérance de {tolerance} ; totaux et cellules doivent être arrondis à partir des mêmes données.',
    en: '{cell}: the total {total} is {difference} away from the sum of the rounded cells ({sum}), more than the tolerance of {tolerance}; totals and cells must be rounded from the same data.',
  },
  // SDC-09 differencing
  'sdc.differencing_cell': {
    fr: '{cell} : {current} ici contre {earlier} dans la sortie {release} ; la différence ({difference}) isole moins de {threshold} personnes.',
    en: '{cell}: {current} here against {earlier} in release {release}; the difference ({difference}) isolates fewer than {threshold} people.',
  },
  'sdc.differencing_total': {
    fr: 'Total de {column} : {current} ici contre {earlier} dans la sortie {release} ; la différence ({difference}) isole moins de {threshold} personnes (populations presque identiques).',
    en: 'Total of {column}: {current} here against {earlier} in release {release}; the difference ({difference}) isolates fewer than {threshold} people (near-identical populations).',
  },
  // Why a rule did not apply
  'sdc.skip.no_counts': { fr: 'Aucune colonne d’effectif, de montant ou de statistique.', en: 'No count, magnitude or statistic column.' },
  'sdc.skip.no_count_column': { fr: 'Aucune colonne d’effectif.', en: 'No count column.' },
  'sdc.skip.no_hidden': { fr: 'Aucune cellule masquée.', en: 'No suppressed cell.' },
  'sdc.skip.no_margins': { fr: 'Aucun total ni marge détecté : rien à recalculer.', en: 'No total or margin detected: nothing to recompute from.' },
  'sdc.skip.no_magnitude': { fr: 'Aucune colonne de montant.', en: 'No magnitude column.' },
  'sdc.skip.no_model': { fr: 'Pas un tableau de modèle.', en: 'Not a model table.' },
  'sdc.skip.rounding_off': { fr: 'Arrondi non exigé.', en: 'Rounding not required.' },
  'sdc.skip.differencing_off': { fr: 'Contrôle de différenciation désactivé.', en: 'Differencing check turned off.' },
  'sdc.skip.no_earlier': { fr: 'Aucune sortie antérieure du projet.', en: 'No earlier release of the project.' },
  'sdc.skip.no_match': {
    fr: 'Aucune sortie antérieure comparable (dimensions ou colonnes d’effectif communes).',
    en: 'No comparable earlier release (shared dimensions or count columns).',
  },
  // CSV
  'airlock.csv_invalid': {
    fr: 'Fichier {file}, ligne {line}, colonne {column} : CSV invalide ({reason}).',
    en: 'File {file}, line {line}, column {column}: invalid CSV ({reason}).',
  },
});
