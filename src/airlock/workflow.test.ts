import { describe, expect, it } from 'vitest';
import { HdhError } from '../platform/errors.js';
import { checkOutcome, decide, isEditable, isTerminal, requestStatuses, transition, voteProblems, votesVisible, workflowActions, worstVerdict, type RequestStatus, type WorkflowAction } from './workflow.js';

/** The whole table, written out: every (status, action) pair not listed here must be refused. */
const expected: Record<string, RequestStatus> = {
  'draft/edit': 'draft',
  'draft/submit': 'submitted',
  'draft/withdraw': 'withdrawn',
  'submitted/check_pass': 'under_review',
  'submitted/check_fail': 'quarantined',
  'submitted/check_override': 'under_review',
  'quarantined/edit': 'draft',
  'quarantined/submit': 'submitted',
  'quarantined/withdraw': 'withdrawn',
  'under_review/approve': 'approved',
  'under_review/request_changes': 'changes_requested',
  'under_review/reject': 'rejected',
  'changes_requested/edit': 'changes_requested',
  'changes_requested/submit': 'submitted',
  'changes_requested/withdraw': 'withdrawn',
  'approved/release': 'released',
};

describe('airlock workflow (EXP-08, SDC-10)', () => {
  const pairs = requestStatuses.flatMap((s) => workflowActions.map((a) => [s, a] as [RequestStatus, WorkflowAction]));

  it.each(pairs)('EXP-08: %s + %s is allowed exactly when the table says so', (status, action) => {
    const want = expected[`${status}/${action}`];
    if (want) {
      expect(transition(status, action)).toBe(want);
    } else {
      let caught: unknown;
      try {
        transition(status, action);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(HdhError);
      expect(caught).toMatchObject({ code: 'airlock.transition_refused', status: 409, params: { action, status } });
    }
  });

  it('EXP-08: released, rejected and withdrawn are terminal; only draft, quarantined and changes_requested are editable', () => {
    expect(requestStatuses.filter(isTerminal)).toEqual(['released', 'rejected', 'withdrawn']);
    expect(requestStatuses.filter(isEditable)).toEqual(['draft', 'quarantined', 'changes_requested']);
  });

  it('EXP-08: a failing rule quarantines; an override justification sends it to review; review verdicts go to reviewers', () => {
    expect(checkOutcome(['pass', 'review'], null)).toBe('check_pass');
    expect(checkOutcome(['pass', 'fail'], null)).toBe('check_fail');
    expect(checkOutcome(['fail'], '   ')).toBe('check_fail');
    expect(checkOutcome(['fail'], 'Published counts of a national registry')).toBe('check_override');
    expect(checkOutcome([], null)).toBe('check_pass');
    expect(worstVerdict(['pass', 'review'])).toBe('review');
    expect(worstVerdict(['review', 'fail', 'pass'])).toBe('fail');
    expect(worstVerdict([])).toBe('pass');
  });

  it('SDC-10: two votes decide — both approve → approved, any reject → rejected, otherwise changes requested', () => {
    expect(decide([])).toBeNull();
    expect(decide(['approve'])).toBeNull();
    expect(decide(['approve', 'approve'])).toBe('approve');
    expect(decide(['approve', 'reject'])).toBe('reject');
    expect(decide(['changes_requested', 'reject'])).toBe('reject');
    expect(decide(['approve', 'changes_requested'])).toBe('request_changes');
    expect(decide(['changes_requested', 'changes_requested'])).toBe('request_changes');
  });

  it('SDC-10: changes requested need a comment; approving failing rules needs a justification', () => {
    expect(voteProblems({ decision: 'changes_requested' }, false)).toEqual([{ location: 'body.comment', message: expect.any(String) }]);
    expect(voteProblems({ decision: 'changes_requested', comment: 'Round the counts to 5' }, false)).toEqual([]);
    expect(voteProblems({ decision: 'approve' }, true)).toEqual([{ location: 'body.overrideJustification', message: expect.any(String) }]);
    expect(voteProblems({ decision: 'approve', overrideJustification: 'Counts already published by the registry' }, true)).toEqual([]);
    expect(voteProblems({ decision: 'approve' }, false)).toEqual([]);
    expect(voteProblems({ decision: 'reject' }, true)).toEqual([]);
  });

  it('SDC-10: votes stay hidden while the round is open with fewer than two votes', () => {
    expect(votesVisible('under_review', 0)).toBe(false);
    expect(votesVisible('under_review', 1)).toBe(false);
    expect(votesVisible('under_review', 2)).toBe(true);
    expect(votesVisible('released', 2)).toBe(true);
    expect(votesVisible('changes_requested', 2)).toBe(true);
  });
});
