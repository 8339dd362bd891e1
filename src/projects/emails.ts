/**
 * Text of the e-mails that echo in-app notifications. They say that something happened and where
 * to look; they carry no content of the file or of the message (mail is not a safe channel).
 */
const statusLabels: Record<string, { fr: string; en: string }> = {
  draft: { fr: 'brouillon', en: 'draft' },
  submitted: { fr: 'déposé, vérification de complétude', en: 'submitted, completeness check' },
  returned: { fr: 'renvoyé pour compléments', en: 'returned for changes' },
  cesrees_review: { fr: 'transmis au CESREES', en: 'forwarded to CESREES' },
  cesrees_opinion: { fr: 'avis du CESREES rendu', en: 'CESREES opinion given' },
  cnil_review: { fr: 'en instruction à la CNIL', en: 'under CNIL review' },
  convention: { fr: 'convention à signer', en: 'convention to sign' },
  provisioning: { fr: 'mise à disposition des données', en: 'data provisioning' },
  active: { fr: 'actif', en: 'active' },
  closed: { fr: 'clos', en: 'closed' },
  archived: { fr: 'archivé', en: 'archived' },
  withdrawn: { fr: 'retiré', en: 'withdrawn' },
  refused: { fr: 'refusé', en: 'refused' },
};

export function emailFor(kind: string, details: Record<string, unknown>, locale: 'fr' | 'en'): { subject: string; text: string } {
  const reference = String(details.reference ?? '');
  const label = (status: unknown) => statusLabels[String(status)]?.[locale] ?? String(status);
  const footer = locale === 'fr' ? '\n\nConnectez-vous au Health Data Hub pour voir le dossier.\n' : '\n\nLog in to the Health Data Hub to see the file.\n';
  if (kind === 'project.message') {
    return locale === 'fr'
      ? { subject: `[HDH] Nouveau message sur le dossier ${reference}`, text: `Un nouveau message a été publié sur le dossier ${reference}.${footer}` }
      : { subject: `[HDH] New message on file ${reference}`, text: `A new message was posted on file ${reference}.${footer}` };
  }
  return locale === 'fr'
    ? { subject: `[HDH] Dossier ${reference} : ${label(details.to)}`, text: `Le dossier ${reference} est passé de l’étape « ${label(details.from)} » à l’étape « ${label(details.to)} ».${footer}` }
    : { subject: `[HDH] File ${reference}: ${label(details.to)}`, text: `File ${reference} moved from “${label(details.from)}” to “${label(details.to)}”.${footer}` };
}
