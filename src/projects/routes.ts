/** HTTP adapter of projects and of the public registry: parse → call the service → present. No access decision here. */
import multipart from '@fastify/multipart';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { HdhError } from '../platform/errors.js';
import { requireFullActor, type HubApp } from '../platform/http/app.js';
import * as s from './schema.js';
import type { ProjectService } from './service.js';

const tags = ['projects'];
const ok204 = { 204: z.null() };

/** Largest document accepted (protocols and PIAs are PDFs of a few MB). */
export const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;

export function registerProjectRoutes(app: HubApp, projects: ProjectService): void {
  app.get('/api/projects', { schema: { tags, summary: 'Projects the caller may see', response: { 200: z.array(s.projectSummaryView) } } }, async (request) => projects.list(requireFullActor(request)));

  app.post('/api/projects', { schema: { tags, summary: 'Open a project file (draft)', body: s.createProjectBody, response: { 201: s.projectView } } }, async (request, reply) => reply.status(201).send(await projects.create(requireFullActor(request), request.body)));

  app.get('/api/projects/dashboard', { schema: { tags, summary: 'Staff dashboard: files per step, overdue, step durations', response: { 200: s.dashboardView } } }, async (request) => projects.dashboard(requireFullActor(request)));

  app.get('/api/projects/:id', { schema: { tags, params: s.idParams, response: { 200: s.projectView } } }, async (request) => projects.get(requireFullActor(request), request.params.id));

  app.patch('/api/projects/:id', { schema: { tags, summary: 'Edit the file (draft, returned, after the CESREES opinion)', params: s.idParams, body: s.updateProjectBody, response: { 200: s.projectView } } }, async (request) => projects.update(requireFullActor(request), request.params.id, request.body));

  app.get('/api/projects/:id/perimeter', { schema: { tags, summary: 'Every version of the requested perimeter', params: s.idParams, response: { 200: z.array(s.perimeterVersionView) } } }, async (request) => projects.perimeter(requireFullActor(request), request.params.id));

  app.get('/api/projects/:id/perimeter/:version', { schema: { tags, params: s.versionParams, response: { 200: s.perimeterVersionView } } }, async (request) => (await projects.perimeter(requireFullActor(request), request.params.id, request.params.version))[0]!);

  app.put('/api/projects/:id/perimeter', { schema: { tags, summary: 'New version of the perimeter, validated against the catalogue', params: s.idParams, body: s.perimeterSchema, response: { 201: s.perimeterVersionView } } }, async (request, reply) => reply.status(201).send(await projects.setPerimeter(requireFullActor(request), request.params.id, request.body)));

  app.post('/api/projects/:id/members', { schema: { tags, params: s.idParams, body: s.memberBody, response: { 201: s.memberView } } }, async (request, reply) => reply.status(201).send(await projects.addMember(requireFullActor(request), request.params.id, request.body)));

  app.delete('/api/projects/:id/members/:userId', { schema: { tags, params: s.memberParams, response: ok204 } }, async (request, reply) => {
    await projects.removeMember(requireFullActor(request), request.params.id, request.params.userId);
    return reply.status(204).send(null);
  });

  app.post('/api/projects/:id/interests', { schema: { tags, summary: 'Declaration of interest (PR-10)', params: s.idParams, body: s.interestBody, response: { 201: s.interestView } } }, async (request, reply) => reply.status(201).send(await projects.addInterest(requireFullActor(request), request.params.id, request.body)));

  app.get('/api/projects/:id/documents', { schema: { tags, params: s.idParams, response: { 200: z.array(s.documentView) } } }, async (request) => (await projects.get(requireFullActor(request), request.params.id)).documents);

  app.get('/api/projects/:id/documents/:documentId', { schema: { tags, summary: 'Download a document version (checksum verified)', params: s.documentParams } }, async (request, reply) => {
    const doc = await projects.downloadDocument(requireFullActor(request), request.params.id, request.params.documentId);
    return reply
      .header('Content-Type', doc.mediaType)
      .header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(doc.name)}`)
      .header('X-Content-SHA256', doc.sha256)
      .header('X-Content-Type-Options', 'nosniff')
      .send(doc.content);
  });

  // Uploads parse multipart bodies only in this scope; the rest of the API stays JSON-only.
  void app.register(async (scope) => {
    const typed = scope.withTypeProvider<ZodTypeProvider>();
    await typed.register(multipart, { limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1, fields: 0 } });
    typed.post('/api/projects/:id/documents', { schema: { tags, summary: 'Upload a document version (multipart, field “file”)', params: s.idParams, querystring: s.documentQuery, response: { 201: s.documentView } } }, async (request, reply) => {
      const actor = requireFullActor(request);
      const file = await request.file();
      if (!file) throw new HdhError('project.document_missing', 400, {}, [{ location: 'body.file', message: 'no file part' }]);
      const content = await file.toBuffer();
      const name = request.query.name ?? file.filename.replace(/^.*[/\\]/, '');
      return reply.status(201).send(await projects.uploadDocument(actor, request.params.id, { kind: request.query.kind, name, mediaType: file.mimetype || 'application/octet-stream', content }));
    });
  });

  app.post('/api/projects/:id/transitions', { schema: { tags, summary: 'One step of the procedure (submit, forward, record_opinion, file_cnil, …)', params: s.idParams, body: s.transitionBody, response: { 200: s.projectView } } }, async (request) => projects.transition(requireFullActor(request), request.params.id, request.body));

  app.get('/api/projects/:id/timeline', { schema: { tags, summary: 'Where the file is, with due dates (LC-06)', params: s.idParams, response: { 200: s.timelineView } } }, async (request) => projects.timeline(requireFullActor(request), request.params.id));

  app.get('/api/projects/:id/permit', { schema: { tags, summary: 'The authorised permit (perimeter, dates, team) for extraction and workspaces', params: s.idParams, response: { 200: s.permitView } } }, async (request) => projects.permit(requireFullActor(request), request.params.id));

  app.get('/api/projects/:id/convention', { schema: { tags, summary: 'Convention: parties, perimeter, duration, commitments, acceptances', params: s.idParams, response: { 200: s.conventionView } } }, async (request) => projects.convention(requireFullActor(request), request.params.id));

  app.post('/api/projects/:id/results', { schema: { tags, summary: 'Publish results to the registry (PR-06)', params: s.idParams, body: s.resultsBody, response: { 200: s.projectView } } }, async (request) => projects.publishResults(requireFullActor(request), request.params.id, request.body));

  app.get('/api/projects/:id/messages', { schema: { tags, params: s.idParams, response: { 200: z.array(s.messageView) } } }, async (request) => projects.exchanges.thread(requireFullActor(request), request.params.id));

  app.post('/api/projects/:id/messages', { schema: { tags, params: s.idParams, body: s.messageBody, response: { 201: s.messageView } } }, async (request, reply) => reply.status(201).send(await projects.postMessage(requireFullActor(request), request.params.id, request.body)));

  app.get('/api/projects/:id/member-review', { schema: { tags, summary: 'Annual review of the team by the lead (AUTH-08)', params: s.idParams, response: { 200: s.memberReviewView } } }, async (request) => projects.memberReview(requireFullActor(request), request.params.id));

  app.post('/api/projects/:id/member-review', { schema: { tags, params: s.idParams, body: s.memberReviewBody, response: ok204 } }, async (request, reply) => {
    await projects.recordMemberReview(requireFullActor(request), request.params.id, request.body);
    return reply.status(204).send(null);
  });

  app.get('/api/notifications', { schema: { tags, querystring: z.strictObject({ unread: z.enum(['true', 'false']).optional() }), response: { 200: z.array(s.notificationView) } } }, async (request) => projects.exchanges.notifications(requireFullActor(request), request.query.unread === 'true'));

  app.post('/api/notifications/:id/read', { schema: { tags, params: s.idParams, response: ok204 } }, async (request, reply) => {
    await projects.exchanges.markRead(requireFullActor(request), request.params.id);
    return reply.status(204).send(null);
  });

  registerRegistryRoutes(app, projects);
}

/** The public registry: no login, no cookie needed (PR-05..PR-07). */
function registerRegistryRoutes(app: HubApp, projects: ProjectService): void {
  const rtags = ['registry'];
  app.get('/api/registry/projects', { schema: { tags: rtags, summary: 'Public registry of projects, searchable', querystring: s.registryQuery, response: { 200: z.array(s.registryEntryView) } } }, async (request) => projects.registry.search(request.query));

  app.get('/api/registry/projects/:reference', { schema: { tags: rtags, params: z.strictObject({ reference: z.string().max(40) }), response: { 200: s.registryEntryView } } }, async (request) => projects.registry.byReference(request.params.reference));

  app.get('/api/registry/export.json', { schema: { tags: rtags, summary: 'Open-data export (JSON)', querystring: s.registryQuery, response: { 200: z.array(s.registryEntryView) } } }, async (request, reply) => {
    reply.header('Content-Disposition', 'attachment; filename="registre-projets.json"');
    return projects.registry.search(request.query);
  });

  app.get('/api/registry/export.csv', { schema: { tags: rtags, summary: 'Open-data export (CSV)', querystring: s.registryQuery } }, async (request, reply) =>
    reply.header('Content-Type', 'text/csv; charset=utf-8').header('Content-Disposition', 'attachment; filename="registre-projets.csv"').send(await projects.registry.csv(request.query)));

  app.get('/api/registry/stats', { schema: { tags: rtags, summary: 'Projects per route and status, median time to decision', response: { 200: s.registryStatsView } } }, async () => projects.registry.statistics());
}
