/** HTTP adapter of record linkage (hub staff): uploads, runs, reports. */
import multipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HdhError } from '../platform/errors.js';
import { requireFullActor, type HubApp } from '../platform/http/app.js';
import * as s from './schema.js';
import type { LinkageService } from './service.js';

const tags = ['linkage'];

export interface LinkageRouteOptions {
  /** Largest identity file accepted (bytes). */
  maxUploadBytes: number;
}

const lakeTablesView = z.array(z.object({ name: z.string(), version: z.number(), synthetic: z.boolean(), tables: z.array(z.object({ name: z.string(), rows: z.number() })) }));

export function registerLinkageRoutes(app: HubApp, linkage: LinkageService, options: LinkageRouteOptions): void {
  // Identity files arrive as multipart uploads, parsed only in this scope and streamed to disk.
  void app.register(async (scope) => {
    const typed = scope.withTypeProvider<ZodTypeProvider>();
    await typed.register(multipart, { limits: { fileSize: options.maxUploadBytes, files: 1, fields: 0 } });
    typed.post('/api/admin/linkage/uploads', { schema: { tags, summary: 'Upload an identity file (CSV or Parquet, multipart field “file”) for a probabilistic run; deleted once used', response: { 201: s.uploadView } } }, async (request, reply) => {
      const actor = requireFullActor(request);
      const file = await request.file();
      if (!file) throw new HdhError('linkage.upload_empty', 400, {}, [{ location: 'body.file', message: 'no file part' }]);
      return reply.status(201).send(await linkage.upload(actor, { name: file.filename, content: file.file, isTruncated: () => file.file.truncated }));
    });
  });

  app.get('/api/admin/linkage/uploads', { schema: { tags, summary: 'Uploaded identity files not used yet', response: { 200: z.array(s.uploadView) } } }, async (request) => linkage.listUploads(requireFullActor(request)));

  app.get('/api/admin/linkage/lake-tables', { schema: { tags, summary: 'Lake releases and tables (sides of a deterministic run)', response: { 200: lakeTablesView } } }, async (request) => linkage.lakeTables(requireFullActor(request)));

  app.post('/api/admin/linkage/runs', { schema: { tags, summary: 'Start a linkage run (queued; poll the run for its report)', body: s.startRunBody, response: { 202: s.runView } } }, async (request, reply) =>
    reply.status(202).send(await linkage.start(requireFullActor(request), request.body, request.locale)),
  );

  app.get('/api/admin/linkage/runs', { schema: { tags, summary: 'Linkage runs, newest first', response: { 200: z.array(s.runSummary) } } }, async (request) => linkage.list(requireFullActor(request), request.locale));

  app.get('/api/admin/linkage/runs/:id', { schema: { tags, summary: 'A run with its quality report', params: s.runParams, response: { 200: s.runView } } }, async (request) => linkage.get(requireFullActor(request), request.params.id, request.locale));
}
