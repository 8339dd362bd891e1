/**
 * HTTP adapter of workspaces (/work/notes/workspace-contract.md): parse → call the service →
 * present. No access decision here. Every response carries `Cache-Control: no-store` (set for all
 * of /api by the app). The jobs endpoints also take a personal token (`Authorization: Bearer`).
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../platform/actor.js';
import { clientIp, requireFullActor, type HubApp } from '../platform/http/app.js';
import * as s from './schema.js';
import type { WorkspaceService } from './service.js';

const tags = ['workspaces'];
const base = '/api/projects/:id/workspace';

export function registerWorkspaceRoutes(app: HubApp, workspaces: WorkspaceService): void {
  /** A session (full MFA) or, on the jobs endpoints only, a personal token for this project. */
  async function jobCaller(request: FastifyRequest, projectId: string): Promise<{ actor: Actor; via: { kind: 'web' | 'token'; tokenId: string | null } }> {
    const header = request.headers.authorization;
    if (typeof header === 'string' && /^Bearer\s+/i.test(header)) {
      const { actor, tokenId } = await workspaces.tokens.authenticate(header.replace(/^Bearer\s+/i, '').trim(), projectId, clientIp(request));
      return { actor, via: { kind: 'token', tokenId } };
    }
    return { actor: requireFullActor(request), via: { kind: 'web', tokenId: null } };
  }

  app.get(base, { schema: { tags, summary: 'Status of the project’s workspace, its extract and limits', params: s.projectParams, response: { 200: s.workspaceView } } }, async (request) => workspaces.status(requireFullActor(request), request.params.id));

  app.get(`${base}/dictionary`, { schema: { tags, summary: 'Tables and columns of the extract (catalogue labels) and the caller’s scratch objects', params: s.projectParams, response: { 200: s.dictionaryView } } }, async (request) => workspaces.dictionary(requireFullActor(request), request.params.id));

  app.post(`${base}/queries`, { schema: { tags, summary: 'Run one SQL statement; answers within ~1.5 s (then poll)', params: s.projectParams, body: s.queryBody, response: { 200: s.queryView } } }, async (request) => workspaces.startQuery(requireFullActor(request), request.params.id, request.body.sql));

  app.get(`${base}/queries/:qid`, { schema: { tags, params: s.queryParams, response: { 200: s.queryView } } }, async (request) => workspaces.getQuery(requireFullActor(request), request.params.id, request.params.qid));

  app.get(`${base}/queries/:qid/rows`, { schema: { tags, summary: 'A page of the capped rows of a query', params: s.queryParams, querystring: s.rowsQuery, response: { 200: s.rowsView } } }, async (request) => workspaces.rows(requireFullActor(request), request.params.id, request.params.qid, request.query.offset, request.query.limit));

  app.post(`${base}/queries/:qid/cancel`, { schema: { tags, params: s.queryParams, response: { 200: s.queryView } } }, async (request) => workspaces.cancel(requireFullActor(request), request.params.id, request.params.qid));

  app.get(`${base}/history`, { schema: { tags, summary: 'The caller’s queries, newest first', params: s.projectParams, response: { 200: z.array(s.queryView) } } }, async (request) => workspaces.history(requireFullActor(request), request.params.id));

  app.get(`${base}/programs`, { schema: { tags, summary: 'Programs shared within the project', params: s.projectParams, response: { 200: z.array(s.programSummaryView) } } }, async (request) => workspaces.programs.list(requireFullActor(request), request.params.id));

  app.post(`${base}/programs`, { schema: { tags, params: s.projectParams, body: s.programBody, response: { 201: s.programView } } }, async (request, reply) => reply.status(201).send(await workspaces.programs.create(requireFullActor(request), request.params.id, request.body)));

  app.post(`${base}/programs/import`, { schema: { tags, summary: 'Copy a shared program of the catalogue into the workspace', params: s.projectParams, body: s.importBody, response: { 201: s.programView } } }, async (request, reply) => reply.status(201).send(await workspaces.programs.importFromCatalogue(requireFullActor(request), request.params.id, request.body.catalogueProgramId)));

  app.get(`${base}/programs/:pid`, { schema: { tags, params: s.programParams, response: { 200: s.programView } } }, async (request) => workspaces.programs.get(requireFullActor(request), request.params.id, request.params.pid));

  app.post(`${base}/programs/:pid/versions`, { schema: { tags, params: s.programParams, body: s.programVersionBody, response: { 201: s.programView } } }, async (request, reply) => reply.status(201).send(await workspaces.programs.addVersion(requireFullActor(request), request.params.id, request.params.pid, request.body)));

  app.post(`${base}/jobs`, { schema: { tags, summary: 'Run a program version as a job (session or personal token)', params: s.projectParams, body: s.jobBody, response: { 202: s.jobView } } }, async (request, reply) => {
    const { actor, via } = await jobCaller(request, request.params.id);
    return reply.status(202).send(await workspaces.jobs.submit(actor, request.params.id, request.body, via));
  });

  app.get(`${base}/jobs`, { schema: { tags, params: s.projectParams, response: { 200: z.array(s.jobView) } } }, async (request) => workspaces.jobs.list((await jobCaller(request, request.params.id)).actor, request.params.id));

  app.get(`${base}/jobs/:jid`, { schema: { tags, params: s.jobParams, response: { 200: s.jobView } } }, async (request) => workspaces.jobs.get((await jobCaller(request, request.params.id)).actor, request.params.id, request.params.jid));

  app.get(`${base}/deletion-certificate`, { schema: { tags, summary: 'What was deleted at the project’s end, and when (DP-13): hub staff and the lead', params: s.projectParams, response: { 200: s.deletionCertificateView } } }, async (request) => workspaces.closure.certificate(requireFullActor(request), request.params.id));

  app.post('/api/tokens', { schema: { tags, summary: 'Personal token for the jobs API (full MFA session only); shown once', body: s.tokenBody, response: { 201: s.createdTokenView } } }, async (request, reply) => reply.status(201).send(await workspaces.tokens.create(requireFullActor(request), request.body)));

  app.get('/api/tokens', { schema: { tags, summary: 'The caller’s personal tokens', response: { 200: z.array(s.tokenView) } } }, async (request) => workspaces.tokens.list(requireFullActor(request)));

  app.delete('/api/tokens/:id', { schema: { tags, params: s.tokenParams, response: { 204: z.null() } } }, async (request, reply) => {
    await workspaces.tokens.revoke(requireFullActor(request), request.params.id);
    return reply.status(204).send(null);
  });
}
