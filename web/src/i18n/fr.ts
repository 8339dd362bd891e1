/** French UI strings (the default language), one file per part of the hub. */
import { catalog } from './fr/catalog.ts';
import { core } from './fr/core.ts';
import { linkage } from './fr/linkage.ts';
import { projects } from './fr/projects.ts';

export const fr = { ...core, ...catalog, ...projects, ...linkage } as const;

export type MessageKey = keyof typeof fr;
