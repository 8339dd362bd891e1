/** The file's fields as the API names them (ProjectFileInput), turned into the columns they change; absent fields stay as they are. */
import { json, type ProjectPatch } from './repo.js';
import type { ProjectFileInput } from './schema.js';

export function fileColumns(input: ProjectFileInput): ProjectPatch {
  const c: ProjectPatch = {};
  if (input.summary !== undefined) c.summary = input.summary;
  if (input.purpose !== undefined) c.purpose = input.purpose;
  if (input.objectives !== undefined) c.objectives = input.objectives;
  if (input.publicInterest !== undefined) c.public_interest = input.publicInterest;
  if (input.methodology !== undefined) c.methodology = input.methodology;
  if (input.expectedResults !== undefined) c.expected_results = input.expectedResults;
  if (input.referenceMethodology !== undefined) c.reference_methodology = input.referenceMethodology;
  if (input.conformityDeclaration !== undefined) {
    c.conformity_reference = input.conformityDeclaration?.reference ?? null;
    c.conformity_declared_on = input.conformityDeclaration?.declaredOn ?? null;
  }
  if (input.publicServiceMission !== undefined) c.public_service_mission = input.publicServiceMission;
  if (input.dataControllers !== undefined) c.data_controllers = json(input.dataControllers);
  if (input.rmo !== undefined) c.rmo = input.rmo ? json(input.rmo) : null;
  if (input.subcontractors !== undefined) c.subcontractors = json(input.subcontractors);
  if (input.medicalDomains !== undefined) c.medical_domains = json(input.medicalDomains);
  if (input.otherSources !== undefined) c.other_sources = json(input.otherSources);
  if (input.requestedEndDate !== undefined) c.requested_end_date = input.requestedEndDate;
  return c;
}
