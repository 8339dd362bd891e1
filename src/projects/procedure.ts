/**
 * The access procedure — procédure d'accès — as a state machine. Pure: given a status, a legal
 * route and who acts, it says where an action leads or why it cannot. The service applies it
 * under a row lock and audits every transition.
 *
 *   draft → submitted (completeness, LC-01) → returned ⟲ | cesrees_review (LC-02/03)
 *     → cesrees_opinion (applicant decides, may amend, LC-04) → cnil_review (LC-05)
 *     → convention → provisioning → active → closed (LC-10) → archived
 *   MR route: submitted → register (declaration of conformity + registry entry, LC-09) → convention
 *   EGB / permanent access: submitted → approve (EGB within 15 days, LC-08) → convention
 *   withdrawn: from any status before active; refused: CNIL refusal, or EGB/permanent refusal.
 */
export const legalRoutes = ['cnil_authorisation', 'reference_methodology', 'egb_simplified', 'permanent_access'] as const;
export type LegalRoute = (typeof legalRoutes)[number];

export const referenceMethodologies = ['MR-004', 'MR-005', 'MR-006'] as const;
export type ReferenceMethodology = (typeof referenceMethodologies)[number];

export const statuses = [
  'draft', 'submitted', 'returned', 'cesrees_review', 'cesrees_opinion', 'cnil_review',
  'convention', 'provisioning', 'active', 'closed', 'archived', 'withdrawn', 'refused',
] as const;
export type Status = (typeof statuses)[number];

/** LC-03: outcomes of the CESREES opinion — avis favorable, favorable avec recommandations, réservé, défavorable, tacite. */
export const cesreesOutcomes = ['favourable', 'favourable_with_recommendations', 'reserved', 'unfavourable', 'tacit_favourable'] as const;
export type CesreesOutcome = (typeof cesreesOutcomes)[number];

export const cnilOutcomes = ['authorised', 'refused', 'tacit_authorisation'] as const;
export type CnilOutcome = (typeof cnilOutcomes)[number];

export const actions = [
  'submit', 'return', 'forward', 'record_opinion', 'file_cnil', 'renew_cnil', 'record_cnil_decision',
  'register', 'approve', 'refuse', 'accept_convention', 'provision', 'close', 'archive', 'withdraw',
] as const;
export type Action = (typeof actions)[number];

/** Who may take an action: the project's lead (porteur), the hub's instructors, or the scheduler. */
export type Side = 'lead' | 'hub' | 'system';

interface Rule {
  from: readonly Status[];
  to: Status;
  by: readonly Side[];
  routes?: readonly LegalRoute[];
}

/** Statuses from which the applicant may still withdraw: any before the data are delivered. */
export const withdrawableStatuses: readonly Status[] = ['draft', 'submitted', 'returned', 'cesrees_review', 'cesrees_opinion', 'cnil_review', 'convention', 'provisioning'];

/** Statuses in which the applicant may edit the file: draft, returned, and after the opinion (LC-04). */
export const editableStatuses: readonly Status[] = ['draft', 'returned', 'cesrees_opinion'];

const rules: Record<Action, Rule> = {
  submit: { from: ['draft', 'returned'], to: 'submitted', by: ['lead'] },
  return: { from: ['submitted'], to: 'returned', by: ['hub'] },
  forward: { from: ['submitted'], to: 'cesrees_review', by: ['hub'], routes: ['cnil_authorisation'] },
  record_opinion: { from: ['cesrees_review'], to: 'cesrees_opinion', by: ['hub', 'system'], routes: ['cnil_authorisation'] },
  file_cnil: { from: ['cesrees_opinion'], to: 'cnil_review', by: ['lead'], routes: ['cnil_authorisation'] },
  renew_cnil: { from: ['cnil_review'], to: 'cnil_review', by: ['hub'], routes: ['cnil_authorisation'] },
  // The target depends on the outcome: see `decisionTarget`.
  record_cnil_decision: { from: ['cnil_review'], to: 'convention', by: ['hub', 'system'], routes: ['cnil_authorisation'] },
  register: { from: ['submitted'], to: 'convention', by: ['hub'], routes: ['reference_methodology'] },
  approve: { from: ['submitted'], to: 'convention', by: ['hub'], routes: ['egb_simplified', 'permanent_access'] },
  refuse: { from: ['submitted'], to: 'refused', by: ['hub'], routes: ['egb_simplified', 'permanent_access'] },
  // Stays in convention until every party accepted; then provisioning (see the service).
  accept_convention: { from: ['convention'], to: 'convention', by: ['lead', 'hub'] },
  provision: { from: ['provisioning'], to: 'active', by: ['hub'] },
  close: { from: ['active'], to: 'closed', by: ['lead', 'hub', 'system'] },
  archive: { from: ['closed', 'withdrawn', 'refused'], to: 'archived', by: ['hub'] },
  withdraw: { from: withdrawableStatuses, to: 'withdrawn', by: ['lead'] },
};

export type Verdict =
  | { ok: true; to: Status }
  | { ok: false; reason: 'wrong_side' | 'wrong_status' | 'wrong_route' };

/** Where `action` leads from `status` on `route` when taken by `sides` (an administrator holds every side). */
export function decide(action: Action, status: Status, route: LegalRoute, sides: readonly Side[]): Verdict {
  const rule = rules[action];
  if (!rule.by.some((s) => sides.includes(s))) return { ok: false, reason: 'wrong_side' };
  if (rule.routes && !rule.routes.includes(route)) return { ok: false, reason: 'wrong_route' };
  if (!rule.from.includes(status)) return { ok: false, reason: 'wrong_status' };
  return { ok: true, to: rule.to };
}

/** The CNIL decision: an authorisation (express or tacit) opens the convention; a refusal ends the file. */
export function decisionTarget(outcome: CnilOutcome): Status {
  return outcome === 'refused' ? 'refused' : 'convention';
}

/** The actions a status offers on a route, for the UI and the timeline. */
export function availableActions(status: Status, route: LegalRoute, sides: readonly Side[]): Action[] {
  return actions.filter((a) => decide(a, status, route, sides).ok);
}

/** Past submission: the project appears in the public registry (PR-06). */
export function isPublic(status: Status): boolean {
  return status !== 'draft';
}

/** Parties of the convention — parties à la convention — who must each accept it. */
export const conventionParties = ['applicant', 'hub'] as const;
export type ConventionParty = (typeof conventionParties)[number];
