/** French UI strings (the default language), one file per part of the hub. */
import { catalog } from './fr/catalog.ts';
import { core } from './fr/core.ts';
import { projects } from './fr/projects.ts';
import { workspaces } from './fr/workspaces.ts';

export const fr = { ...core, ...catalog, ...projects, ...workspaces } as const;

export type MessageKey = keyof typeof fr;
