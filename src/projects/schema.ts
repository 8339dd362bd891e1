/** Inputs and outputs of the projects API; types are inferred from these schemas. */
import { z } from 'zod';
import { actions, cesreesOutcomes, cnilOutcomes, conventionParties, legalRoutes, referenceMethodologies, statuses } from './procedure.js';

const isoDay = z.iso.date();
const text = (max: number) => z.string().trim().min(1).max(max);
const name = z.string().trim().min(1).max(100);

/** Périmètre: the permit the extraction and the workspace will trust. */
export const perimeterSchema = z.strictObject({
  datasets: z.array(name).min(1).max(50),
  tables: z.array(z.strictObject({ name, columns: z.array(name).min(1).max(2000) })).min(1).max(500),
  period: z.strictObject({ from: isoDay, to: isoDay }),
  population: z.strictObject({
    description: text(5000),
    inclusion: z.array(text(1000)).max(100).default([]),
    exclusion: z.array(text(1000)).max(100).default([]),
  }),
  durationMonths: z.number().int().min(1).max(240),
});
export type Perimeter = z.infer<typeof perimeterSchema>;

/** Responsable de traitement (RT) or co-responsable (co-RT). */
const dataController = z.strictObject({ name: text(300), kind: z.enum(['rt', 'co_rt']), organisationType: z.enum(['public', 'private_non_profit', 'private_for_profit']).optional() });
const party = z.strictObject({ name: text(300), role: text(300).optional() });

const fileFields = {
  title: text(300),
  summary: text(10_000),
  purpose: text(10_000),
  objectives: text(10_000),
  publicInterest: text(10_000),
  methodology: text(20_000),
  expectedResults: text(10_000),
  legalRoute: z.enum(legalRoutes),
  referenceMethodology: z.enum(referenceMethodologies).nullable(),
  conformityDeclaration: z.strictObject({ reference: text(200), declaredOn: isoDay }).nullable(),
  publicServiceMission: z.boolean(),
  dataControllers: z.array(dataController).max(3),
  rmo: party.nullable(),
  subcontractors: z.array(party).max(20),
  medicalDomains: z.array(text(100)).max(20),
  otherSources: z.array(text(300)).max(20),
  requestedEndDate: isoDay.nullable(),
};

export const createProjectBody = z.strictObject({ ...fileFields, title: fileFields.title, legalRoute: fileFields.legalRoute }).partial().required({ title: true, legalRoute: true });
export const updateProjectBody = z.strictObject(fileFields).partial();
export type ProjectFileInput = z.infer<typeof updateProjectBody>;

/** A team member named by account id or by e-mail (what the lead knows); exactly one of the two. */
export const memberBody = z
  .strictObject({ userId: z.uuid().optional(), email: z.email().max(254).optional(), roleInProject: text(200), endDate: isoDay })
  .refine((b) => (b.userId === undefined) !== (b.email === undefined), { message: 'give either userId or email', path: ['email'] });
export type MemberInput = z.infer<typeof memberBody>;
export const interestBody = z.strictObject({ personName: text(200), capacity: z.enum(['data_controller', 'research_lead', 'team_member']), statement: text(10_000), signedOn: isoDay });

const note = text(5000).optional();
const reference = text(200);
export const transitionBody = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('submit'), note }),
  z.strictObject({ action: z.literal('return'), note: text(5000), reference: reference.optional() }),
  z.strictObject({ action: z.literal('forward'), reference: reference.optional(), note }),
  z.strictObject({ action: z.literal('record_opinion'), outcome: z.enum(cesreesOutcomes).exclude(['tacit_favourable']), reference, decidedOn: isoDay, note }),
  z.strictObject({ action: z.literal('file_cnil'), note }),
  z.strictObject({ action: z.literal('renew_cnil'), reference, note }),
  z.strictObject({ action: z.literal('record_cnil_decision'), outcome: z.enum(cnilOutcomes).exclude(['tacit_authorisation']), number: reference, decidedOn: isoDay, authorisedEndDate: isoDay.optional(), note }),
  z.strictObject({ action: z.literal('register'), registryReference: reference, reference: reference.optional(), note }),
  z.strictObject({ action: z.literal('approve'), reference, authorisedEndDate: isoDay.optional(), note }),
  z.strictObject({ action: z.literal('refuse'), reference, note: text(5000) }),
  z.strictObject({ action: z.literal('accept_convention'), party: z.enum(conventionParties).optional() }),
  z.strictObject({ action: z.literal('provision'), reference: reference.optional(), note }),
  z.strictObject({ action: z.literal('close'), note }),
  z.strictObject({ action: z.literal('archive'), note }),
  z.strictObject({ action: z.literal('withdraw'), note }),
]);
export type TransitionInput = z.infer<typeof transitionBody>;

export const resultsBody = z.strictObject({ summary: text(20_000), url: z.url().max(1000).optional() });
export const messageBody = z.strictObject({ body: text(20_000), parentId: z.uuid().optional() });
export const memberReviewBody = z.strictObject({ decisions: z.array(z.strictObject({ userId: z.uuid(), decision: z.enum(['keep', 'remove']) })).min(1), note: text(2000) });

export const idParams = z.strictObject({ id: z.uuid() });
export const documentParams = z.strictObject({ id: z.uuid(), documentId: z.uuid() });
export const versionParams = z.strictObject({ id: z.uuid(), version: z.coerce.number().int().min(1) });
export const memberParams = z.strictObject({ id: z.uuid(), userId: z.uuid() });

// Views
const transitionView = z.object({
  from: z.enum(statuses).nullable(), to: z.enum(statuses), action: z.string(), at: z.string(),
  actorLabel: z.string(), automatic: z.boolean(), reference: z.string().nullable(), note: z.string().nullable(), dueDate: z.string().nullable(),
});
/** `charterAccepted`: the member accepted the current user charter (AUTH-05), checked before the convention. */
export const memberView = z.object({ userId: z.string(), email: z.string(), displayName: z.string(), roleInProject: z.string(), endDate: z.string(), addedAt: z.string(), lastConfirmedAt: z.string().nullable(), charterAccepted: z.boolean() });
export const documentView = z.object({ id: z.string(), kind: z.string(), name: z.string(), version: z.number(), sha256: z.string(), size: z.number(), mediaType: z.string(), uploadedAt: z.string(), uploadedBy: z.string() });
export const interestView = z.object({ id: z.string(), personName: z.string(), capacity: z.string(), statement: z.string(), signedOn: z.string(), recordedAt: z.string() });

export const projectSummaryView = z.object({
  id: z.string(), reference: z.string(), title: z.string(), legalRoute: z.enum(legalRoutes), status: z.enum(statuses),
  dueDate: z.string().nullable(), overdue: z.boolean(), leadId: z.string(), updatedAt: z.string(),
});
export const projectView = projectSummaryView.extend({
  summary: z.string(), purpose: z.string(), objectives: z.string(), publicInterest: z.string(), methodology: z.string(), expectedResults: z.string(),
  referenceMethodology: z.enum(referenceMethodologies).nullable(),
  conformityDeclaration: z.object({ reference: z.string(), declaredOn: z.string() }).nullable(),
  publicServiceMission: z.boolean(),
  dataControllers: z.array(z.object({ name: z.string(), kind: z.enum(['rt', 'co_rt']), organisationType: z.string().optional() })),
  rmo: z.object({ name: z.string(), role: z.string().optional() }).nullable(),
  subcontractors: z.array(z.object({ name: z.string(), role: z.string().optional() })),
  medicalDomains: z.array(z.string()), otherSources: z.array(z.string()),
  requestedEndDate: z.string().nullable(), authorisedEndDate: z.string().nullable(), startDate: z.string().nullable(),
  stepStartedOn: z.string().nullable(), cnilRenewed: z.boolean(),
  cesrees: z.object({ outcome: z.enum(cesreesOutcomes).nullable(), decidedOn: z.string().nullable(), reference: z.string().nullable() }),
  cnil: z.object({ outcome: z.enum(cnilOutcomes).nullable(), decidedOn: z.string().nullable(), number: z.string().nullable() }),
  registryReference: z.string().nullable(),
  results: z.object({ summary: z.string(), url: z.string().nullable(), publishedAt: z.string() }).nullable(),
  perimeterVersion: z.number().nullable(),
  members: z.array(memberView), documents: z.array(documentView), interests: z.array(interestView),
  convention: z.object({ acceptances: z.array(z.object({ party: z.string(), acceptedBy: z.string(), acceptedAt: z.string() })) }),
  availableActions: z.array(z.enum(actions)),
  createdAt: z.string(), submittedAt: z.string().nullable(),
});
export const perimeterVersionView = z.object({ version: z.number(), perimeter: perimeterSchema, createdAt: z.string(), createdBy: z.string() });
export const timelineView = z.object({
  reference: z.string(), status: z.enum(statuses), dueDate: z.string().nullable(), overdue: z.boolean(),
  deadlineRule: z.object({ requirement: z.string(), unit: z.string(), amount: z.number(), onExpiry: z.string() }).nullable(),
  transitions: z.array(transitionView),
  nextSteps: z.array(z.enum(actions)),
});
export { transitionView };

export const messageView = z.object({ id: z.string(), parentId: z.string().nullable(), authorLabel: z.string(), side: z.enum(['applicant', 'hub']), body: z.string(), createdAt: z.string() });
export const notificationView = z.object({ id: z.string(), projectId: z.string().nullable(), kind: z.string(), details: z.record(z.string(), z.unknown()), createdAt: z.string(), readAt: z.string().nullable() });

export const dashboardView = z.object({
  today: z.string(),
  perStep: z.record(z.string(), z.number()),
  overdue: z.array(z.object({ id: z.string(), reference: z.string(), title: z.string(), status: z.enum(statuses), dueDate: z.string(), daysOverdue: z.number() })),
  awaitingReply: z.array(z.object({ id: z.string(), reference: z.string(), title: z.string(), since: z.string() })),
  durations: z.array(z.object({ step: z.enum(statuses), count: z.number(), medianDays: z.number().nullable(), p90Days: z.number().nullable() })),
});

export const memberReviewView = z.object({
  reference: z.string(), lastReviewedAt: z.string().nullable(), reviewDue: z.boolean(),
  members: z.array(memberView.extend({ confirmationDue: z.boolean(), endPassed: z.boolean() })),
});

export const conventionView = z.object({
  reference: z.string(), title: z.string(), status: z.enum(statuses),
  parties: z.array(z.object({ party: z.string(), names: z.array(z.string()), acceptedAt: z.string().nullable() })),
  perimeterVersion: z.number().nullable(), perimeter: perimeterSchema.nullable(),
  duration: z.object({ start: z.string().nullable(), end: z.string().nullable() }),
  securityCommitments: z.array(z.string()),
  team: z.array(memberView),
});

export const documentQuery = z.strictObject({
  kind: z.enum(['protocol', 'pia', 'cv', 'interest_declaration', 'conformity_declaration', 'convention', 'other']),
  name: z.string().trim().min(1).max(200).regex(/^[^/\\]+$/, 'a file name, without folders').optional(),
});

export const registryQuery = z.strictObject({
  q: z.string().trim().max(200).optional(),
  route: z.enum(legalRoutes).optional(),
  status: z.enum(statuses).optional(),
  domain: z.string().trim().max(100).optional(),
  source: z.string().trim().max(100).optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});

/** A result released through the output airlock and published by the lead (issue 8 §6). */
export const registryOutputView = z.object({ fileId: z.string(), requestId: z.string(), name: z.string(), context: z.string(), sha256: z.string(), releasedAt: z.string(), url: z.string() });
export type RegistryOutput = z.infer<typeof registryOutputView>;

export const registryEntryView = z.object({
  reference: z.string(), title: z.string(),
  dataControllers: z.array(z.object({ name: z.string(), kind: z.enum(['rt', 'co_rt']), organisationType: z.string().nullable() })),
  purpose: z.string(), objectives: z.string(), methodology: z.string(),
  dataSources: z.object({ snds: z.array(z.string()), other: z.array(z.string()) }),
  medicalDomains: z.array(z.string()),
  legalRoute: z.enum(legalRoutes), referenceMethodology: z.enum(referenceMethodologies).nullable(), publicServiceMission: z.boolean(),
  submittedOn: z.string(), completenessOn: z.string().nullable(),
  cesrees: z.object({ decidedOn: z.string().nullable(), outcome: z.enum(cesreesOutcomes).nullable() }),
  cnil: z.object({ decidedOn: z.string().nullable(), number: z.string().nullable(), outcome: z.enum(cnilOutcomes).nullable() }),
  registryReference: z.string().nullable(),
  status: z.enum(statuses), startDate: z.string().nullable(), endDate: z.string().nullable(),
  results: z.object({ summary: z.string(), url: z.string().nullable(), publishedAt: z.string() }).nullable(),
  outputs: z.array(registryOutputView),
  daysToDecision: z.number().nullable(),
});

export const registryStatsView = z.object({
  total: z.number(), perRoute: z.record(z.string(), z.number()), perStatus: z.record(z.string(), z.number()),
  medianDaysToDecision: z.number().nullable(), medianDaysToDecisionPerRoute: z.record(z.string(), z.number().nullable()), generatedAt: z.string(),
});

export const permitView = z.object({
  projectId: z.string(), reference: z.string(), status: z.enum(statuses),
  perimeterVersion: z.number().nullable(), perimeter: perimeterSchema.nullable(),
  startDate: z.string().nullable(), endDate: z.string().nullable(), publicServiceMission: z.boolean(),
  members: z.array(z.object({ userId: z.string(), endDate: z.string().nullable() })),
});
