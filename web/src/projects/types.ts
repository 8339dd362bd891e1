/** Shapes of the projects API answers the pages use (mirrors src/projects/schema.ts). */
import type { PublishedResult } from '../airlock/types.ts';
export const legalRoutes = ['cnil_authorisation', 'reference_methodology', 'egb_simplified', 'permanent_access'] as const;
export type LegalRoute = (typeof legalRoutes)[number];
export const statuses = ['draft', 'submitted', 'returned', 'cesrees_review', 'cesrees_opinion', 'cnil_review', 'convention', 'provisioning', 'active', 'closed', 'archived', 'withdrawn', 'refused'] as const;
export type Status = (typeof statuses)[number];
export type Action =
  | 'submit' | 'return' | 'forward' | 'record_opinion' | 'file_cnil' | 'renew_cnil' | 'record_cnil_decision'
  | 'register' | 'approve' | 'refuse' | 'accept_convention' | 'provision' | 'close' | 'archive' | 'withdraw';

export interface ProjectSummary {
  id: string;
  reference: string;
  title: string;
  legalRoute: LegalRoute;
  status: Status;
  dueDate: string | null;
  overdue: boolean;
  leadId: string;
  updatedAt: string;
}

export const organisationTypes = ['public', 'private_non_profit', 'private_for_profit'] as const;
export type OrganisationType = (typeof organisationTypes)[number];
export const referenceMethodologies = ['MR-004', 'MR-005', 'MR-006'] as const;
export type ReferenceMethodology = (typeof referenceMethodologies)[number];

export interface DataController {
  name: string;
  kind: 'rt' | 'co_rt';
  organisationType?: string | null;
}

/** RMO (responsable de la mise en œuvre) or a subcontractor (sous-traitant). */
export interface Party {
  name: string;
  role?: string;
}

/** Suggested roles in a team; the server stores any short text, these are the ones the page offers. */
export const memberRoles = ['rt', 'co_rt', 'rmo', 'subcontractor', 'member'] as const;
export type MemberRole = (typeof memberRoles)[number];

export interface Member {
  userId: string;
  email: string;
  displayName: string;
  roleInProject: string;
  endDate: string;
  addedAt: string;
  lastConfirmedAt: string | null;
  charterAccepted: boolean;
}

export const documentKinds = ['protocol', 'pia', 'cv', 'interest_declaration', 'conformity_declaration', 'convention', 'other'] as const;
export type DocumentKind = (typeof documentKinds)[number];

export interface ProjectDocument {
  id: string;
  kind: DocumentKind;
  name: string;
  version: number;
  sha256: string;
  size: number;
  mediaType: string;
  uploadedAt: string;
  uploadedBy: string;
}

export interface Message {
  id: string;
  parentId: string | null;
  authorLabel: string;
  side: 'applicant' | 'hub';
  body: string;
  createdAt: string;
}

export interface Notification {
  id: string;
  projectId: string | null;
  kind: string;
  details: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
}

export interface MemberReview {
  reference: string;
  lastReviewedAt: string | null;
  reviewDue: boolean;
  members: (Member & { confirmationDue: boolean; endPassed: boolean })[];
}

export interface Project extends ProjectSummary {
  summary: string;
  purpose: string;
  objectives: string;
  publicInterest: string;
  methodology: string;
  expectedResults: string;
  referenceMethodology: ReferenceMethodology | null;
  conformityDeclaration: { reference: string; declaredOn: string } | null;
  publicServiceMission: boolean;
  dataControllers: DataController[];
  rmo: Party | null;
  subcontractors: Party[];
  medicalDomains: string[];
  otherSources: string[];
  requestedEndDate: string | null;
  authorisedEndDate: string | null;
  startDate: string | null;
  cesrees: { outcome: string | null; decidedOn: string | null; reference: string | null };
  cnil: { outcome: string | null; decidedOn: string | null; number: string | null };
  registryReference: string | null;
  results: { summary: string; url: string | null; publishedAt: string } | null;
  perimeterVersion: number | null;
  members: Member[];
  documents: ProjectDocument[];
  interests: { id: string; personName: string; capacity: string; statement: string; signedOn: string }[];
  convention: { acceptances: { party: string; acceptedBy: string; acceptedAt: string }[] };
  availableActions: Action[];
  submittedAt: string | null;
}

export interface Perimeter {
  datasets: string[];
  tables: { name: string; columns: string[] }[];
  period: { from: string; to: string };
  population: { description: string; inclusion: string[]; exclusion: string[] };
  durationMonths: number;
}

export interface PerimeterVersion {
  version: number;
  perimeter: Perimeter;
  createdAt: string;
}

export interface Timeline {
  status: Status;
  dueDate: string | null;
  overdue: boolean;
  deadlineRule: { requirement: string; unit: string; amount: number; onExpiry: string } | null;
  transitions: { from: Status | null; to: Status; action: string; at: string; actorLabel: string; automatic: boolean; reference: string | null; note: string | null; dueDate: string | null }[];
  nextSteps: Action[];
}

export interface Dashboard {
  today: string;
  perStep: Record<string, number>;
  overdue: { id: string; reference: string; title: string; status: Status; dueDate: string; daysOverdue: number }[];
  awaitingReply: { id: string; reference: string; title: string; since: string }[];
}

export interface RegistryEntry {
  reference: string;
  title: string;
  dataControllers: DataController[];
  purpose: string;
  objectives: string;
  methodology: string;
  dataSources: { snds: string[]; other: string[] };
  medicalDomains: string[];
  legalRoute: LegalRoute;
  referenceMethodology: string | null;
  publicServiceMission: boolean;
  submittedOn: string;
  completenessOn: string | null;
  cesrees: { decidedOn: string | null; outcome: string | null };
  cnil: { decidedOn: string | null; number: string | null; outcome: string | null };
  registryReference: string | null;
  status: Status;
  startDate: string | null;
  endDate: string | null;
  results: { summary: string; url: string | null; publishedAt: string } | null;
  daysToDecision: number | null;
  /** Files released through the output airlock and published by the lead (web/src/airlock). */
  outputs?: PublishedResult[];
}

export interface RegistryStats {
  total: number;
  perRoute: Record<string, number>;
  perStatus: Record<string, number>;
  medianDaysToDecision: number | null;
}

export const projectPaths = {
  registry: '/registre',
  mine: '/projets',
  create: '/projets/nouveau',
  project: (id: string) => `/projets/${id}`,
  edit: (id: string) => `/projets/${id}/modifier`,
  review: (id: string) => `/projets/${id}/revue-equipe`,
  notifications: '/notifications',
};

/** Statuses after which nothing changes on the file any more (mirrors terminalStatuses on the server). */
export const terminalStatuses: readonly Status[] = ['closed', 'archived', 'withdrawn', 'refused'];
/** Statuses in which results may be published (PR-06). */
export const resultsStatuses: readonly Status[] = ['active', 'closed', 'archived'];
