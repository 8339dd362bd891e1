/** English UI strings: each part is typed against its French twin (a missing key fails the typecheck). */
import { catalog } from './en/catalog.ts';
import { core } from './en/core.ts';
import { linkage } from './en/linkage.ts';
import { projects } from './en/projects.ts';
import type { MessageKey } from './fr.ts';

export const en: Record<MessageKey, string> = { ...core, ...catalog, ...projects, ...linkage };
