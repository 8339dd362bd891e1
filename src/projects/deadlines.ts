/**
 * Legal time limits — délais — of each step of the procedure, from the day the step starts:
 * LC-01 completeness check within 7 working days; LC-02 CESREES opinion within 1 month (tacit
 * favourable after); LC-05 CNIL decision within 2 months, renewable once by 2 months (silence
 * means authorisation); LC-07 data made available about 2 months after the convention
 * (indicative); LC-08 EGB simplified approval within 15 days; LC-10 access ends at the
 * authorised end date at the latest.
 */
import { addCalendarDays, addCalendarMonths, addWorkingDays, type IsoDay } from './calendar.js';
import type { LegalRoute, Status } from './procedure.js';

export interface DeadlineRule {
  requirement: string;
  unit: 'working_days' | 'calendar_days' | 'months';
  amount: number;
  /** What happens when the limit passes with no decision: a tacit outcome, or only an overdue flag. */
  onExpiry: 'tacit' | 'overdue';
}

export const deadlineRules = {
  completeness: { requirement: 'LC-01', unit: 'working_days', amount: 7, onExpiry: 'overdue' },
  egbApproval: { requirement: 'LC-08', unit: 'calendar_days', amount: 15, onExpiry: 'overdue' },
  cesreesOpinion: { requirement: 'LC-02', unit: 'months', amount: 1, onExpiry: 'tacit' },
  cnilDecision: { requirement: 'LC-05', unit: 'months', amount: 2, onExpiry: 'tacit' },
  provisioning: { requirement: 'LC-07', unit: 'months', amount: 2, onExpiry: 'overdue' },
} as const satisfies Record<string, DeadlineRule>;

/** The CNIL may extend its time limit once, by this many months (LC-05). */
export const CNIL_RENEWAL_MONTHS = 2;

export function applyRule(rule: DeadlineRule, start: IsoDay): IsoDay {
  switch (rule.unit) {
    case 'working_days':
      return addWorkingDays(start, rule.amount);
    case 'calendar_days':
      return addCalendarDays(start, rule.amount);
    case 'months':
      return addCalendarMonths(start, rule.amount);
  }
}

/** Which rule governs a status on a route, if any. */
export function ruleFor(status: Status, route: LegalRoute): DeadlineRule | null {
  switch (status) {
    case 'submitted':
      return route === 'egb_simplified' ? deadlineRules.egbApproval : deadlineRules.completeness;
    case 'cesrees_review':
      return deadlineRules.cesreesOpinion;
    case 'cnil_review':
      return deadlineRules.cnilDecision;
    case 'provisioning':
      return deadlineRules.provisioning;
    default:
      return null;
  }
}

/**
 * Due day of a step started on `start`. With the CNIL's one renewal the limit is counted from
 * the filing day (2 + 2 months), so month ends are clamped once, not twice.
 */
export function dueDate(status: Status, route: LegalRoute, start: IsoDay, options: { renewed?: boolean; endDate?: IsoDay | null } = {}): IsoDay | null {
  if (status === 'active') return options.endDate ?? null;
  const rule = ruleFor(status, route);
  if (!rule) return null;
  if (status === 'cnil_review' && options.renewed) return addCalendarMonths(start, rule.amount + CNIL_RENEWAL_MONTHS);
  return applyRule(rule, start);
}

/** A limit is passed once its last day is over (in Paris). */
export function isOverdue(due: IsoDay | null, today: IsoDay): boolean {
  return due !== null && today > due;
}
