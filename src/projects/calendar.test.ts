import { describe, expect, it } from 'vitest';
import { addCalendarMonths, addWorkingDays, easterSunday, frenchPublicHolidays, isWorkingDay, parisDay, workingDaysBetween } from './calendar.js';
import { dueDate, isOverdue } from './deadlines.js';
import { decide, availableActions } from './procedure.js';
import { median, percentile, stepDurations } from './dashboard.js';

describe('French working-day calendar', () => {
  it('computes Easter Sunday for known years', () => {
    expect(['2019', '2024', '2025', '2026', '2027', '2038'].map((y) => easterSunday(Number(y)))).toEqual(['2019-04-21', '2024-03-31', '2025-04-20', '2026-04-05', '2027-03-28', '2038-04-25']);
  });

  it('lists the eleven national holidays, Easter-based ones included', () => {
    const h = frenchPublicHolidays(2026);
    expect(h.size).toBe(11);
    expect(h.get('2026-04-06')).toBe('Lundi de Pâques');
    expect(h.get('2026-05-14')).toBe('Ascension');
    expect(h.get('2026-05-25')).toBe('Lundi de Pentecôte');
    for (const fixed of ['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25']) expect(h.has(`2026-${fixed}`)).toBe(true);
    expect(isWorkingDay('2026-05-08')).toBe(false);
    expect(isWorkingDay('2026-05-09')).toBe(false); // Saturday
    expect(isWorkingDay('2026-05-11')).toBe(true);
  });

  it('LC-01: a file submitted on Thursday 2026-05-07 is due on 2026-05-20 (8 May and Ascension skipped)', () => {
    expect(addWorkingDays('2026-05-07', 7)).toBe('2026-05-20');
    expect(dueDate('submitted', 'cnil_authorisation', '2026-05-07')).toBe('2026-05-20');
    expect(workingDaysBetween('2026-05-07', '2026-05-20')).toBe(7);
  });

  it('LC-01: across Easter Monday, Christmas and New Year, and from a weekend', () => {
    expect(dueDate('submitted', 'cnil_authorisation', '2026-04-02')).toBe('2026-04-14');
    expect(dueDate('submitted', 'reference_methodology', '2026-12-23')).toBe('2027-01-05');
    expect(dueDate('submitted', 'permanent_access', '2026-05-09')).toBe('2026-05-20');
    // Whit Monday 2026-05-25 and the following week.
    expect(dueDate('submitted', 'cnil_authorisation', '2026-05-21')).toBe('2026-06-02');
  });

  it('LC-02: one calendar month, clamped at month ends (31 Jan → 28/29 Feb)', () => {
    expect(addCalendarMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addCalendarMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(dueDate('cesrees_review', 'cnil_authorisation', '2026-03-31')).toBe('2026-04-30');
    expect(dueDate('cesrees_review', 'cnil_authorisation', '2026-12-15')).toBe('2027-01-15');
  });

  it('LC-05: two months, and one renewal counted from the filing day (4 months, clamped once)', () => {
    expect(dueDate('cnil_review', 'cnil_authorisation', '2026-12-31')).toBe('2027-02-28');
    expect(dueDate('cnil_review', 'cnil_authorisation', '2026-12-31', { renewed: true })).toBe('2027-04-30');
    expect(dueDate('cnil_review', 'cnil_authorisation', '2026-08-31')).toBe('2026-10-31');
  });

  it('LC-08: the EGB approval is due 15 calendar days after submission', () => {
    expect(dueDate('submitted', 'egb_simplified', '2026-07-01')).toBe('2026-07-16');
    expect(dueDate('submitted', 'egb_simplified', '2026-12-20')).toBe('2027-01-04');
  });

  it('LC-07 and LC-10: provisioning is indicative (2 months); an active project is due at its end date', () => {
    expect(dueDate('provisioning', 'cnil_authorisation', '2026-01-31')).toBe('2026-03-31');
    expect(dueDate('active', 'cnil_authorisation', '2026-01-31', { endDate: '2028-12-31' })).toBe('2028-12-31');
    expect(dueDate('draft', 'cnil_authorisation', '2026-01-31')).toBeNull();
  });

  it('a limit is overdue only once its last day is over, in Paris time', () => {
    expect(isOverdue('2026-05-20', '2026-05-20')).toBe(false);
    expect(isOverdue('2026-05-20', '2026-05-21')).toBe(true);
    expect(isOverdue(null, '2030-01-01')).toBe(false);
    expect(parisDay(new Date('2026-05-20T21:59:00Z'))).toBe('2026-05-20');
    expect(parisDay(new Date('2026-05-20T22:01:00Z'))).toBe('2026-05-21');
    expect(parisDay(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
  });
});

describe('procedure state machine (pure)', () => {
  it('LC-04: only the lead files with the CNIL, after the opinion', () => {
    expect(decide('file_cnil', 'cesrees_opinion', 'cnil_authorisation', ['lead'])).toEqual({ ok: true, to: 'cnil_review' });
    expect(decide('file_cnil', 'cesrees_opinion', 'cnil_authorisation', ['hub'])).toEqual({ ok: false, reason: 'wrong_side' });
    expect(decide('file_cnil', 'cesrees_review', 'cnil_authorisation', ['lead'])).toEqual({ ok: false, reason: 'wrong_status' });
  });

  it('LC-08, LC-09: MR and EGB routes skip CESREES and CNIL', () => {
    expect(decide('forward', 'submitted', 'reference_methodology', ['hub'])).toEqual({ ok: false, reason: 'wrong_route' });
    expect(decide('register', 'submitted', 'reference_methodology', ['hub'])).toEqual({ ok: true, to: 'convention' });
    expect(decide('approve', 'submitted', 'egb_simplified', ['hub'])).toEqual({ ok: true, to: 'convention' });
    expect(availableActions('submitted', 'egb_simplified', ['hub'])).toEqual(['return', 'approve', 'refuse']);
  });

  it('withdrawal is open before active only', () => {
    expect(decide('withdraw', 'provisioning', 'cnil_authorisation', ['lead']).ok).toBe(true);
    expect(decide('withdraw', 'active', 'cnil_authorisation', ['lead']).ok).toBe(false);
    expect(decide('withdraw', 'submitted', 'cnil_authorisation', ['hub'])).toEqual({ ok: false, reason: 'wrong_side' });
  });
});

describe('dashboard statistics', () => {
  it('median and nearest-rank 90th percentile; renewals do not split a step', () => {
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    const at = (d: string) => new Date(`${d}T00:00:00Z`);
    const durations = stepDurations([
      { project_id: 'a', to_status: 'submitted', at: at('2026-01-01') },
      { project_id: 'a', to_status: 'cnil_review', at: at('2026-01-03') },
      { project_id: 'a', to_status: 'cnil_review', at: at('2026-02-01') },
      { project_id: 'a', to_status: 'convention', at: at('2026-03-03') },
      { project_id: 'b', to_status: 'submitted', at: at('2026-01-01') },
      { project_id: 'b', to_status: 'returned', at: at('2026-01-05') },
    ]);
    expect(durations).toEqual([
      { step: 'submitted', count: 2, medianDays: 3, p90Days: 4 },
      { step: 'cnil_review', count: 1, medianDays: 59, p90Days: 59 },
    ]);
  });
});
