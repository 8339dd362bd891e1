/**
 * The staff dashboard — tableau de bord de l'instruction: files per step, overdue files, and how
 * long each step takes (median and 90th percentile, in calendar days, over finished steps).
 */
import { parisDay } from './calendar.js';
import { isOverdue } from './deadlines.js';
import { statuses, type Status } from './procedure.js';
import type { ProjectRow } from './repo.js';

export interface StepDuration {
  step: Status;
  count: number;
  medianDays: number | null;
  p90Days: number | null;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1]!;
}

export function median(sorted: number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

export function stepDurations(transitions: { project_id: string; to_status: Status; at: Date }[]): StepDuration[] {
  const byStep = new Map<Status, number[]>();
  let step: { projectId: string; status: Status; enteredAt: Date } | null = null;
  for (const t of transitions) {
    if (step && step.projectId === t.project_id) {
      // A renewal or one party's acceptance keeps the file in the same step.
      if (t.to_status === step.status) continue;
      byStep.set(step.status, [...(byStep.get(step.status) ?? []), (t.at.getTime() - step.enteredAt.getTime()) / 86_400_000]);
    }
    step = { projectId: t.project_id, status: t.to_status, enteredAt: t.at };
  }
  return statuses.filter((s) => byStep.has(s)).map((step) => {
    const values = byStep.get(step)!.sort((a, b) => a - b);
    return { step, count: values.length, medianDays: round1(median(values)), p90Days: round1(percentile(values, 90)) };
  });
}

export function buildDashboard(projects: ProjectRow[], transitions: { project_id: string; to_status: Status; at: Date }[], lastMessages: { project_id: string; author_side: 'applicant' | 'hub'; created_at: Date }[], now: Date) {
  const today = parisDay(now);
  const perStep = Object.fromEntries(statuses.map((s) => [s, 0])) as Record<Status, number>;
  for (const p of projects) perStep[p.status]++;
  const overdue = projects
    .filter((p) => isOverdue(p.due_date, today))
    .map((p) => ({ id: p.id, reference: p.reference, title: p.title, status: p.status, dueDate: p.due_date!, daysOverdue: Math.round((Date.parse(today) - Date.parse(p.due_date!)) / 86_400_000) }))
    .sort((a, b) => b.daysOverdue - a.daysOverdue);
  const byId = new Map(projects.map((p) => [p.id, p]));
  const awaitingReply = lastMessages
    .filter((m) => m.author_side === 'applicant' && byId.has(m.project_id))
    .map((m) => ({ id: m.project_id, reference: byId.get(m.project_id)!.reference, title: byId.get(m.project_id)!.title, since: m.created_at.toISOString() }))
    .sort((a, b) => a.since.localeCompare(b.since));
  return { today, perStep, overdue, awaitingReply, durations: stepDurations(transitions) };
}
