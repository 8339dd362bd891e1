/** French UI strings (the default language), one file per part of the hub. */
import { catalog } from './fr/catalog.ts';
import { citizens } from './fr/citizens.ts';
import { collaboration } from './fr/collaboration.ts';
import { core } from './fr/core.ts';
import { ingest } from './fr/ingest.ts';
import { linkage } from './fr/linkage.ts';
import { optout } from './fr/optout.ts';
import { projects } from './fr/projects.ts';
import { workspaces } from './fr/workspaces.ts';
import { airlock } from './fr/airlock.ts';

export const fr = { ...core, ...catalog, ...projects, ...collaboration, ...citizens, ...optout, ...ingest, ...workspaces, ...linkage, ...airlock } as const;

export type MessageKey = keyof typeof fr;
