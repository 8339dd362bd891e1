/**
 * HTTP adapter of the output airlock (/work/notes/airlock-contract.md): parse → call the service →
 * present. No access decision here. JSON responses carry `Cache-Control: no-store` (set for all of
 * /api by the app); downloads are attachments with their SHA-256 in `X-Content-SHA256`.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { clientIp, requireFullActor, type HubApp } from '../platform/http/app.js';
import type { Delivered } from './releases.js';
import * as s from './schema.js';
import type { AirlockService } from './service.js';

const tags = ['airlock'];
const base = '/api/projects/:id/outputs';
const ok204 = { 204: z.null() };
/** A file may carry a pasted CSV and chart images: more than the API's default body limit. */
const FILE_BODY_LIMIT = 32 * 1024 * 1024;

function deliver(reply: FastifyReply, d: Delivered, disposition: 'attachment' | 'inline' = 'attachment') {
  return reply
    .header('Content-Type', d.mediaType)
    .header('Content-Disposition', `${disposition}; filename="${d.fileName}"; filename*=UTF-8''${encodeURIComponent(d.fileName)}`)
    .header('X-Content-SHA256', d.sha256)
    .header('X-Content-Type-Options', 'nosniff')
    // An SVG opened directly runs nothing and loads nothing.
    .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
    .send(d.content);
}

export function registerAirlockRoutes(app: HubApp, airlock: AirlockService): void {
  app.get(base, { schema: { tags, summary: 'Release requests of the project, newest first (files without cells)', params: s.projectParams, response: { 200: z.array(s.outputRequestView) } } }, async (request) => airlock.list(requireFullActor(request), request.params.id, request.locale));

  app.post(base, { schema: { tags, summary: 'Open a release request (draft)', params: s.projectParams, body: s.createRequestBody, response: { 201: s.outputRequestView } } }, async (request, reply) => reply.status(201).send(await airlock.create(requireFullActor(request), request.params.id, request.body, request.locale)));

  app.get(`${base}/:rid`, { schema: { tags, params: s.requestParams, response: { 200: s.outputRequestView } } }, async (request) => airlock.get(requireFullActor(request), request.params.id, request.params.rid, request.locale));

  app.post(`${base}/:rid/files`, { bodyLimit: FILE_BODY_LIMIT, schema: { tags, summary: 'Add a file (query result, workspace table, CSV text), checked at once', params: s.requestParams, body: s.addFileBody, response: { 201: s.outputFileView } } }, async (request, reply) =>
    reply.status(201).send(await airlock.files.add(requireFullActor(request), request.params.id, request.params.rid, request.body, request.locale)));

  app.patch(`${base}/:rid/files/:fid`, { schema: { tags, summary: 'Change name, context, column roles or model: a new version, checked again', params: s.fileParams, body: s.patchFileBody, response: { 200: s.outputFileView } } }, async (request) =>
    airlock.files.update(requireFullActor(request), request.params.id, request.params.rid, request.params.fid, request.body, request.locale));

  app.delete(`${base}/:rid/files/:fid`, { schema: { tags, params: s.fileParams, response: ok204 } }, async (request, reply) => {
    await airlock.files.remove(requireFullActor(request), request.params.id, request.params.rid, request.params.fid);
    return reply.status(204).send(null);
  });

  app.post(`${base}/:rid/files/:fid/fix`, { schema: { tags, summary: 'Apply the proposed suppression and/or rounding to a new version', params: s.fileParams, body: s.fixBody, response: { 200: s.outputFileView } } }, async (request) =>
    airlock.files.fix(requireFullActor(request), request.params.id, request.params.rid, request.params.fid, request.body, request.locale));

  app.get(`${base}/:rid/files/:fid/versions/:v`, { schema: { tags, summary: 'An earlier version of a file: grid, report, readable report', params: s.versionParams, response: { 200: s.versionView } } }, async (request) =>
    airlock.files.version(requireFullActor(request), request.params.id, request.params.rid, request.params.fid, request.params.v, request.locale));

  app.post(`${base}/:rid/submit`, { schema: { tags, summary: 'Submit: automatic check, then quarantine or review', params: s.requestParams, body: s.submitBody, response: { 200: s.outputRequestView } } }, async (request) =>
    airlock.submit(requireFullActor(request), request.params.id, request.params.rid, request.body?.overrideJustification, request.locale));

  app.post(`${base}/:rid/withdraw`, { schema: { tags, params: s.requestParams, response: { 200: s.outputRequestView } } }, async (request) => airlock.withdraw(requireFullActor(request), request.params.id, request.params.rid, request.locale));

  app.post(`${base}/:rid/votes`, { schema: { tags, summary: 'A reviewer’s vote (blind until two are in)', params: s.requestParams, body: s.voteBody, response: { 200: s.outputRequestView } } }, async (request) =>
    airlock.vote(requireFullActor(request), request.params.id, request.params.rid, request.body, request.locale));

  app.get(`${base}/:rid/files/:fid/download`, { schema: { tags, summary: 'The released CSV (members; released files only; audited)', params: s.fileParams } }, async (request, reply) =>
    deliver(reply, await airlock.releases.download(requireFullActor(request), request.params.id, request.params.rid, request.params.fid)));

  app.get(`${base}/:rid/files/:fid/attachments/:aid`, { schema: { tags, summary: 'A released file’s chart (members; released files only; audited)', params: s.attachmentParams } }, async (request, reply) =>
    deliver(reply, await airlock.releases.attachment(requireFullActor(request), request.params.id, request.params.rid, request.params.fid, request.params.aid)));

  app.get(`${base}/:rid/files/:fid/attachments/:aid/view`, { schema: { tags, summary: 'A chart shown while the request is examined (members and reviewers; audited as a view, not a download)', params: s.attachmentParams } }, async (request, reply) =>
    deliver(reply, await airlock.releases.viewAttachment(requireFullActor(request), request.params.id, request.params.rid, request.params.fid, request.params.aid), 'inline'));

  app.post(`${base}/:rid/publish`, { schema: { tags, summary: 'Attach released files to the public registry entry (project lead)', params: s.requestParams, body: s.publishBody, response: { 200: s.outputRequestView } } }, async (request) =>
    airlock.publish(requireFullActor(request), request.params.id, request.params.rid, request.body.fileIds, request.locale));

  app.get('/api/airlock/queue', { schema: { tags, summary: 'Requests waiting for the caller’s review, oldest first', response: { 200: z.array(s.queueItemView) } } }, async (request) => airlock.queue(requireFullActor(request)));

  app.get('/api/airlock/settings', { schema: { tags, summary: 'Disclosure-control settings: hub and per dataset', response: { 200: s.settingsView } } }, async (request) => airlock.settings.list(requireFullActor(request)));

  app.put('/api/airlock/settings/hub', { schema: { tags, summary: 'The hub’s settings (administrators)', body: s.hubSettingsBody, response: { 200: s.settingsView } } }, async (request) => airlock.settings.setHub(requireFullActor(request), request.body));

  app.put('/api/airlock/settings/datasets/:slug', { schema: { tags, summary: 'Overrides for one catalogue dataset (administrators)', params: s.datasetParams, body: s.datasetSettingsBody, response: { 200: s.settingsView } } }, async (request) =>
    airlock.settings.setDataset(requireFullActor(request), request.params.slug, request.body));

  app.delete('/api/airlock/settings/datasets/:slug', { schema: { tags, params: s.datasetParams, response: ok204 } }, async (request, reply) => {
    await airlock.settings.removeDataset(requireFullActor(request), request.params.slug);
    return reply.status(204).send(null);
  });

  // Public (no login): a result the project's lead published to the registry.
  app.get('/api/registry/results/:fileId', { schema: { tags: ['registry'], summary: 'A published released result (CSV), audited', params: s.resultParams } }, async (request, reply) =>
    deliver(reply, await airlock.releases.publicResult(request.actor, clientIp(request), request.params.fileId)));
}
