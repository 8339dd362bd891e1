/** Presenters: whitelist what leaves the projects domain; rows never go out as they are. */
import { parisDay } from './calendar.js';
import { isOverdue } from './deadlines.js';
import type { DocumentRow, MemberRow, ProjectRow, TransitionRow } from './repo.js';
import type { Action, Status } from './procedure.js';

const iso = (d: Date) => d.toISOString();

export function presentSummary(p: ProjectRow, now: Date) {
  return {
    id: p.id, reference: p.reference, title: p.title, legalRoute: p.legal_route, status: p.status,
    dueDate: p.due_date, overdue: isOverdue(p.due_date, parisDay(now)), leadId: p.lead_id, updatedAt: iso(p.updated_at),
  };
}

export function presentMember(m: MemberRow, charterAccepted: boolean) {
  return { userId: m.user_id, email: m.email, displayName: m.display_name, roleInProject: m.role_in_project, endDate: m.end_date, addedAt: iso(m.added_at), lastConfirmedAt: m.last_confirmed_at ? iso(m.last_confirmed_at) : null, charterAccepted };
}

export function presentDocument(d: DocumentRow) {
  return { id: d.id, kind: d.kind, name: d.name, version: d.version, sha256: d.sha256, size: d.size_bytes, mediaType: d.media_type, uploadedAt: iso(d.uploaded_at), uploadedBy: d.uploaded_by };
}

export function presentTransition(t: TransitionRow) {
  return { from: t.from_status, to: t.to_status, action: t.action, at: iso(t.at), actorLabel: t.actor_label, automatic: t.automatic, reference: t.reference, note: t.note, dueDate: t.due_date };
}

export interface ProjectParts {
  members: MemberRow[];
  /** Members who accepted the current user charter. */
  charterAccepted: ReadonlySet<string>;
  documents: DocumentRow[];
  interests: { id: string; person_name: string; capacity: string; statement: string; signed_on: string; recorded_at: Date }[];
  acceptances: { party: string; accepted_by: string; accepted_at: Date }[];
  perimeterVersion: number | null;
  availableActions: Action[];
}

export function presentProject(p: ProjectRow, parts: ProjectParts, now: Date) {
  return {
    ...presentSummary(p, now),
    summary: p.summary, purpose: p.purpose, objectives: p.objectives, publicInterest: p.public_interest, methodology: p.methodology, expectedResults: p.expected_results,
    referenceMethodology: p.reference_methodology,
    conformityDeclaration: p.conformity_reference && p.conformity_declared_on ? { reference: p.conformity_reference, declaredOn: p.conformity_declared_on } : null,
    publicServiceMission: p.public_service_mission,
    dataControllers: p.data_controllers, rmo: p.rmo, subcontractors: p.subcontractors, medicalDomains: p.medical_domains, otherSources: p.other_sources,
    requestedEndDate: p.requested_end_date, authorisedEndDate: p.authorised_end_date, startDate: p.start_date,
    stepStartedOn: p.step_started_on, cnilRenewed: p.cnil_renewed,
    cesrees: { outcome: p.cesrees_outcome, decidedOn: p.cesrees_decided_on, reference: p.cesrees_reference },
    cnil: { outcome: p.cnil_outcome, decidedOn: p.cnil_decided_on, number: p.cnil_number },
    registryReference: p.registry_reference,
    results: p.results_summary && p.results_published_at ? { summary: p.results_summary, url: p.results_url, publishedAt: iso(p.results_published_at) } : null,
    perimeterVersion: parts.perimeterVersion,
    members: parts.members.map((m) => presentMember(m, parts.charterAccepted.has(m.user_id))),
    documents: parts.documents.map(presentDocument),
    interests: parts.interests.map((i) => ({ id: i.id, personName: i.person_name, capacity: i.capacity, statement: i.statement, signedOn: i.signed_on, recordedAt: iso(i.recorded_at) })),
    convention: { acceptances: parts.acceptances.map((a) => ({ party: a.party, acceptedBy: a.accepted_by, acceptedAt: iso(a.accepted_at) })) },
    availableActions: parts.availableActions,
    createdAt: iso(p.created_at), submittedAt: p.submitted_at ? iso(p.submitted_at) : null,
  };
}

/** The project's end for team end dates (LC-10, AUTH-03): the authorised one, else the requested one. */
export function projectEnd(p: ProjectRow): string | null {
  return p.authorised_end_date ?? p.requested_end_date;
}

export const terminalStatuses: readonly Status[] = ['closed', 'archived', 'withdrawn', 'refused'];
