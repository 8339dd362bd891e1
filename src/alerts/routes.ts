/** HTTP adapter of the security alerts (LOG-08): parse → call the service → present. */
import { z } from 'zod';
import { requireFullActor, type HubApp } from '../platform/http/app.js';
import * as s from './schema.js';
import type { AlertService } from './service.js';

export function registerAlertRoutes(app: HubApp, alerts: AlertService): void {
  app.get('/api/alerts', { schema: { tags: ['alerts'], summary: 'Security alerts, newest first (security officers; LOG-08)', querystring: s.alertsQuery, response: { 200: z.array(s.alertView) } } }, async (request) => alerts.list(requireFullActor(request), request.query.limit));
}
