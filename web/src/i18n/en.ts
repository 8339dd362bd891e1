/** English UI strings: each part is typed against its French twin (a missing key fails the typecheck). */
import { catalog } from './en/catalog.ts';
import { citizens } from './en/citizens.ts';
import { collaboration } from './en/collaboration.ts';
import { core } from './en/core.ts';
import { ingest } from './en/ingest.ts';
import { linkage } from './en/linkage.ts';
import { optout } from './en/optout.ts';
import { projects } from './en/projects.ts';
import { workspaces } from './en/workspaces.ts';
import { airlock } from './en/airlock.ts';
import type { MessageKey } from './fr.ts';

export const en: Record<MessageKey, string> = { ...core, ...catalog, ...projects, ...collaboration, ...citizens, ...optout, ...ingest, ...workspaces, ...linkage, ...airlock };
