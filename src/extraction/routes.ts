/** HTTP adapter of extraction: parse → call the service → present. No access decision here. */
import { z } from 'zod';
import { requireFullActor, type HubApp } from '../platform/http/app.js';
import * as s from './schema.js';
import type { ExtractionService } from './service.js';

const tags = ['extraction'];

export function registerExtractionRoutes(app: HubApp, extraction: ExtractionService): void {
  app.get('/api/projects/:id/extracts', { schema: { tags, summary: 'Every extract version of a project, with its manifest summary', params: s.extractParams, response: { 200: z.array(s.extractView) } } }, async (request) => extraction.list(requireFullActor(request), request.params.id));

  app.post('/api/projects/:id/extracts', { schema: { tags, summary: 'Extract the project’s permit again (hub staff); returns at once, the run is queued', params: s.extractParams, body: s.extractRequestBody, response: { 202: s.extractView } } }, async (request, reply) => reply.status(202).send(await extraction.request(requireFullActor(request), request.params.id, request.body)));
}
