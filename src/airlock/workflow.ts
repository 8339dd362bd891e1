/**
 * The release request's state machine — circuit de validation d'une demande de sortie (EXP-08,
 * SDC-10). Pure: no I/O; the service holds the row lock, calls `transition` and audits.
 *
 *   draft ──submit──► submitted ──check──► quarantined | under_review
 *   quarantined ──edit──► draft;  quarantined ──submit (override justification)──► submitted
 *   under_review ──two votes──► approved ──release──► released | changes_requested | rejected
 *   changes_requested ──edit / submit (new round)──► …;  draft | quarantined | changes_requested ──withdraw──► withdrawn
 */
import { HdhError, registerMessages } from '../platform/errors.js';
import type { Verdict } from './sdc/types.js';

export const requestStatuses = ['draft', 'submitted', 'quarantined', 'under_review', 'changes_requested', 'approved', 'released', 'rejected', 'withdrawn'] as const;
export type RequestStatus = (typeof requestStatuses)[number];

export const decisions = ['approve', 'changes_requested', 'reject'] as const;
export type Decision = (typeof decisions)[number];

export const workflowActions = ['edit', 'submit', 'check_pass', 'check_fail', 'check_override', 'approve', 'request_changes', 'reject', 'release', 'withdraw'] as const;
export type WorkflowAction = (typeof workflowActions)[number];

/** Every allowed move: from a status, an action leads to one status. Anything absent is refused. */
const moves: Record<RequestStatus, Partial<Record<WorkflowAction, RequestStatus>>> = {
  draft: { edit: 'draft', submit: 'submitted', withdraw: 'withdrawn' },
  submitted: { check_pass: 'under_review', check_fail: 'quarantined', check_override: 'under_review' },
  // A quarantined request goes back to draft when its author changes a file (fix, edit).
  quarantined: { edit: 'draft', submit: 'submitted', withdraw: 'withdrawn' },
  under_review: { approve: 'approved', request_changes: 'changes_requested', reject: 'rejected' },
  // The reviewers' comment stays beside the request while its author edits it.
  changes_requested: { edit: 'changes_requested', submit: 'submitted', withdraw: 'withdrawn' },
  approved: { release: 'released' },
  released: {},
  rejected: {},
  withdrawn: {},
};

registerMessages({
  'airlock.transition_refused': { fr: 'Action « {action} » impossible sur une demande au statut « {status} ».', en: 'Action “{action}” is not possible on a request with status “{status}”.' },
});

/** The status an action leads to; 409 when the action is not allowed from this status. */
export function transition(from: RequestStatus, action: WorkflowAction): RequestStatus {
  const to = moves[from][action];
  if (!to) throw new HdhError('airlock.transition_refused', 409, { action, status: from });
  return to;
}

export function allows(from: RequestStatus, action: WorkflowAction): boolean {
  return moves[from][action] !== undefined;
}

/** Files may be added, changed, fixed or removed (by the project's members). */
export function isEditable(status: RequestStatus): boolean {
  return allows(status, 'edit');
}

export function isTerminal(status: RequestStatus): boolean {
  return Object.keys(moves[status]).length === 0;
}

/**
 * The automatic check's outcome at submission (EXP-08): a failing rule quarantines the request,
 * unless the author asks for an override with a written justification — then both reviewers must
 * approve it, each with their own justification (SDC-10). `review` verdicts go to the reviewers.
 */
export function checkOutcome(verdicts: readonly Verdict[], overrideJustification: string | null | undefined): 'check_pass' | 'check_fail' | 'check_override' {
  if (!verdicts.includes('fail')) return 'check_pass';
  return overrideJustification?.trim() ? 'check_override' : 'check_fail';
}

/** Worst verdict over files (`pass` when there is none). */
export function worstVerdict(verdicts: readonly Verdict[]): Verdict {
  return verdicts.includes('fail') ? 'fail' : verdicts.includes('review') ? 'review' : 'pass';
}

/** Two votes decide: both approve → approved; any reject → rejected; else changes requested. Null while fewer than two. */
export function decide(votes: readonly Decision[]): 'approve' | 'request_changes' | 'reject' | null {
  if (votes.length < 2) return null;
  if (votes.includes('reject')) return 'reject';
  if (votes.every((v) => v === 'approve')) return 'approve';
  return 'request_changes';
}

export interface VoteInput {
  decision: Decision;
  comment?: string | undefined;
  overrideJustification?: string | undefined;
}

/**
 * What a vote must carry, as located problems: changes requested need a comment (so the author
 * knows what to change); approving a file that fails a rule is an override and needs the
 * reviewer's written justification (SDC-10).
 */
export function voteProblems(vote: VoteInput, failingRules: boolean): { location: string; message: string }[] {
  const problems: { location: string; message: string }[] = [];
  if (vote.decision === 'changes_requested' && !vote.comment?.trim()) problems.push({ location: 'body.comment', message: 'a comment is required to request changes' });
  if (vote.decision === 'approve' && failingRules && !vote.overrideJustification?.trim()) problems.push({ location: 'body.overrideJustification', message: 'approving a file that fails a rule needs a written justification' });
  return problems;
}

/**
 * Blind review: another reviewer's vote stays hidden while the round is open with fewer than
 * two votes; once two are in (the request is decided) everyone sees them.
 */
export function votesVisible(status: RequestStatus, votesInRound: number): boolean {
  return status !== 'under_review' || votesInRound >= 2;
}
