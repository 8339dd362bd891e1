/**
 * Every migration, in order. Static imports (not a folder scan) so the same list loads under
 * Node, tsx and Vitest alike. Add one line per new file.
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001_identity.js';
import * as m0002 from './0002_charters.js';
import * as m0003 from './0003_audit.js';
import * as m0100 from './0100_catalog.js';
import * as m0101 from './0101_catalog_docs_programs.js';
import * as m0102 from './0102_catalog_distributions.js';
import * as m0103 from './0103_catalog_search_documents.js';
import * as m0300 from './0300_projects.js';
import * as m0400 from './0400_ingest.js';
import * as m0450 from './0450_linkage.js';
import * as m0500 from './0500_optout.js';
import * as m0600 from './0600_extraction.js';
import * as m0601 from './0601_workspaces.js';
import * as m0700 from './0700_airlock.js';
import * as m0701 from './0701_alerts.js';

export const migrations: Record<string, Migration> = {
  '0001_identity': m0001,
  '0002_charters': m0002,
  '0003_audit': m0003,
  '0100_catalog': m0100,
  '0101_catalog_docs_programs': m0101,
  '0102_catalog_distributions': m0102,
  '0103_catalog_search_documents': m0103,
  '0300_projects': m0300,
  '0400_ingest': m0400,
  '0450_linkage': m0450,
  '0500_optout': m0500,
  '0600_extraction': m0600,
  '0601_workspaces': m0601,
  '0700_airlock': m0700,
  '0701_alerts': m0701,
};
