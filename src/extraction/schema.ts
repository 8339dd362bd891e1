/** Extraction inputs and outputs; the manifest written beside every extract. */
import { z } from 'zod';

export interface ReleaseRef {
  name: string;
  version: number;
}

export interface ExtractFile {
  /** Relative to the extract folder, forward slashes. */
  path: string;
  rows: number;
  bytes: number;
  sha256: string;
}

export interface ExtractTableManifest {
  name: string;
  source: { release: string; version: number; table: string };
  rows: number;
  columns: { name: string; type: string }[];
  /** Person identifiers replaced by this project's pseudonyms (DP-03). */
  pseudonymisedColumns: string[];
  /** How opted-out people were removed: the table's own identifiers, a join to a table that has them, or none (no person in it). */
  personFilter: string;
  /** How the authorised period was applied. */
  periodFilter: string;
  files: ExtractFile[];
}

/** manifest.json of an extract version — what was delivered to a project, and under which keys and releases. */
export interface ExtractManifest {
  manifestVersion: 1;
  projectId: string;
  reference: string;
  version: number;
  createdAt: string;
  createdBy: string;
  perimeterVersion: number;
  period: { from: string; to: string };
  /** The perimeter's population criteria are prose: recorded, applied by the analysts in their programs. */
  population: { description: string; inclusion: string[]; exclusion: string[]; appliedByExtraction: false };
  key: { id: string; version: number; derivation: 'HKDF-SHA-256 per project' };
  releases: ReleaseRef[];
  opposition: { applied: boolean; reason: 'research' | 'public_service_mission'; source: string; listSize: number; personsExcluded: number };
  tables: ExtractTableManifest[];
  totalRows: number;
}

export const extractParams = z.strictObject({ id: z.uuid() });
export const extractRequestBody = z.strictObject({
  reason: z.string().trim().min(1).max(500).optional(),
  /** Extract again even when perimeter, releases and key are unchanged. */
  force: z.boolean().optional(),
});

export const extractView = z.object({
  id: z.string(),
  version: z.number(),
  status: z.enum(['running', 'ready', 'failed', 'deleted']),
  perimeterVersion: z.number(),
  key: z.object({ id: z.string(), version: z.number() }),
  releases: z.array(z.object({ name: z.string(), version: z.number() })),
  oppositionApplied: z.boolean(),
  excludedByOpposition: z.number().nullable(),
  totalRows: z.number().nullable(),
  manifestSha256: z.string().nullable(),
  tables: z.array(z.object({ name: z.string(), rows: z.number(), columns: z.array(z.object({ name: z.string(), type: z.string() })), pseudonymisedColumns: z.array(z.string()), personFilter: z.string(), periodFilter: z.string() })),
  error: z.string().nullable(),
  reason: z.string(),
  requestedBy: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  deletedAt: z.string().nullable(),
});
export type ExtractView = z.infer<typeof extractView>;
