/**
 * Word lists of the synthetic truth set: common French first names (no person is described by a
 * first name alone) and surname syllables that combine into tens of thousands of French-looking
 * surnames. No real person's data: people are drawn at random from these lists.
 */

export const maleFirstNames = [
  'Jean', 'Pierre', 'Michel', 'André', 'Philippe', 'Alain', 'Jacques', 'Bernard', 'Louis', 'Nicolas',
  'Christophe', 'Daniel', 'Patrick', 'François', 'Laurent', 'Julien', 'Thomas', 'Sébastien', 'Frédéric', 'Stéphane',
  'Olivier', 'Éric', 'David', 'Christian', 'Gérard', 'Claude', 'Marcel', 'René', 'Henri', 'Paul',
  'Hugo', 'Lucas', 'Léo', 'Gabriel', 'Arthur', 'Raphaël', 'Maxime', 'Antoine', 'Alexandre', 'Mathieu',
  'Romain', 'Guillaume', 'Vincent', 'Benoît', 'Yves', 'Denis', 'Roger', 'Serge', 'Thierry', 'Pascal',
  'Jérôme', 'Cédric', 'Damien', 'Florian', 'Kévin', 'Quentin', 'Théo', 'Nathan', 'Enzo', 'Mathis',
  'Clément', 'Baptiste', 'Adrien', 'Rémi', 'Gilles', 'Didier', 'Bruno', 'Joël', 'Lionel', 'Jean-Pierre',
  'Jean-Luc', 'Marc', 'Fabrice', 'Franck', 'Hervé', 'Xavier', 'Arnaud', 'Loïc', 'Yannick', 'Gaël',
];

export const femaleFirstNames = [
  'Marie', 'Nathalie', 'Isabelle', 'Sylvie', 'Catherine', 'Françoise', 'Martine', 'Christine', 'Monique', 'Valérie',
  'Sandrine', 'Sophie', 'Céline', 'Stéphanie', 'Véronique', 'Nicole', 'Chantal', 'Anne', 'Julie', 'Aurélie',
  'Émilie', 'Camille', 'Léa', 'Manon', 'Chloé', 'Emma', 'Inès', 'Jade', 'Louise', 'Alice',
  'Lucie', 'Sarah', 'Laura', 'Pauline', 'Mathilde', 'Claire', 'Hélène', 'Jeanne', 'Élodie', 'Audrey',
  'Mélanie', 'Virginie', 'Caroline', 'Laetitia', 'Agnès', 'Brigitte', 'Danielle', 'Jacqueline', 'Denise', 'Simone',
  'Madeleine', 'Odette', 'Colette', 'Josiane', 'Éliane', 'Corinne', 'Patricia', 'Florence', 'Karine', 'Delphine',
  'Charlotte', 'Margaux', 'Océane', 'Clara', 'Zoé', 'Juliette', 'Agathe', 'Anaïs', 'Marion', 'Marie-Claire',
  'Anne-Sophie', 'Ginette', 'Yvette', 'Annie', 'Évelyne', 'Gisèle', 'Solène', 'Maëlle', 'Noémie', 'Justine',
];

/** Surname = start + middle + ending: 60 × 16 × 40 = 38,400 combinations. */
export const surnameStarts = [
  'Ber', 'Mar', 'Dur', 'Lef', 'Ro', 'Gi', 'Fon', 'Mo', 'Cha', 'Bou', 'Le', 'Gau', 'Per', 'Fa', 'Gar',
  'Bon', 'Dup', 'Lam', 'Ren', 'Bla', 'Mas', 'Cor', 'Pel', 'Ver', 'Cle', 'Tes', 'Vil', 'Lac', 'Bar', 'Dum',
  'Jol', 'Mil', 'Sau', 'Tho', 'Hub', 'Pic', 'Gui', 'Que', 'Bri', 'Cau', 'Del', 'Esc', 'Fer', 'Gro', 'Her',
  'Jac', 'Lan', 'Mai', 'Nau', 'Oli', 'Pra', 'Rab', 'Sal', 'Tar', 'Vau', 'Bau', 'Cou', 'Dan', 'Fou', 'Mer',
];

export const surnameMiddles = ['', '', '', 'ti', 'ri', 'la', 'ne', 'ge', 'vi', 'mo', 'de', 'ch', 'l', 'r', 'n', 'ss'];

export const surnameEndings = [
  'in', 'ard', 'and', 'eau', 'ier', 'et', 'ot', 'ault', 'ez', 'oux', 'ière', 'ès', 'y', 'on', 'ac', 'at',
  'el', 'ine', 'ette', 'aux', 'ois', 'ais', 'ant', 'ent', 'eil', 'ert', 'eux', 'ou', 'ic', 'oz', 'as', 'ey',
  'ain', 'aud', 'elle', 'ier', 'ignac', 'oni', 'ay', 'eret',
];

/**
 * Communes: INSEE-like codes (two-character département + three digits; overseas: three + two),
 * drawn from these départements. Corsica keeps its letters (2A, 2B).
 */
export const departements = [
  '01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '2A', '2B',
  '21', '22', '23', '24', '25', '26', '27', '28', '29', '30', '31', '32', '33', '34', '35', '36', '37', '38', '39', '40',
  '41', '42', '43', '44', '45', '46', '47', '48', '49', '50', '51', '52', '53', '54', '55', '56', '57', '58', '59', '60',
  '61', '62', '63', '64', '65', '66', '67', '68', '69', '70', '71', '72', '73', '74', '75', '76', '77', '78', '79', '80',
  '81', '82', '83', '84', '85', '86', '87', '88', '89', '90', '91', '92', '93', '94', '95', '971', '972', '973', '974',
];
