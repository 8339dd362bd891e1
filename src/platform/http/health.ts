import { z } from 'zod';
import type { HubApp } from './app.js';

export function registerHealthRoutes(app: HubApp, deps: { database: 'pglite' | 'postgres'; version: () => Promise<string> }): void {
  app.get('/api/health', { schema: { tags: ['platform'], summary: 'Liveness and store check (public)', response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgres']), databaseVersion: z.string(), time: z.string() }) } } }, async () => ({
    status: 'ok' as const,
    database: deps.database,
    databaseVersion: (await deps.version()).split(' on ')[0] ?? 'unknown',
    time: new Date().toISOString(),
  }));
}
