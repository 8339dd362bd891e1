import fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireFullActor, type HubApp } from '../platform/http/app.js';
import * as s from './schema.js';
import type { IngestService } from './service.js';
import type { LoadRow, UploadRow } from './repo.js';

const tags = ['ingest'];

function presentUpload(u: UploadRow): z.infer<typeof s.uploadView> {
  return { id: u.id, table: u.table_name, fileName: u.file_name, size: u.size, received: u.received, chunkSize: u.chunk_size, status: u.status, createdAt: u.created_at.toISOString() };
}

export function presentLoad(l: LoadRow, ingest: IngestService): s.LoadView {
  return {
    id: l.id, table: l.table_name, fileName: l.file_name, fileBytes: l.file_bytes, fileSha256: l.file_sha256, policy: l.policy, mode: l.mode, status: l.status,
    progress: l.status === 'validating' ? ingest.progress(l.id) : null,
    rowsRead: l.rows_read, rowsValid: l.rows_valid, rowsRejected: l.rows_rejected, report: l.report,
    pseudonymKey: l.key_id ? { id: l.key_id, version: l.key_version ?? 0 } : null, catalogueVersion: l.catalogue_version,
    release: l.release_name ? { name: l.release_name, version: l.release_version ?? 0 } : null, error: l.error, createdBy: l.created_by_label,
    startedAt: l.started_at.toISOString(), finishedAt: l.finished_at?.toISOString() ?? null, publishedAt: l.published_at?.toISOString() ?? null,
    hasQuarantine: l.policy === 'quarantine' && (l.rows_rejected ?? 0) > 0 && l.status !== 'discarded',
  };
}

export function registerIngestRoutes(app: HubApp, ingest: IngestService): void {
  app.post('/api/ingest/uploads', { schema: { tags, summary: 'Start a chunked, resumable upload of a file for a catalogue table', body: s.createUploadBody, response: { 201: s.uploadView } } }, async (request, reply) =>
    reply.status(201).send(presentUpload(await ingest.createUpload(requireFullActor(request), request.body))));

  app.get('/api/ingest/uploads/:id', { schema: { tags, summary: 'Where an upload stands (bytes received: resume from there)', params: s.idParams, response: { 200: s.uploadView } } }, async (request) =>
    presentUpload(await ingest.upload(requireFullActor(request), request.params.id)));

  app.post('/api/ingest/uploads/:id/loads', { schema: { tags, summary: 'Validate and pseudonymise a complete upload (runs in the background)', params: s.idParams, body: s.startLoadBody, response: { 202: s.loadView } } }, async (request, reply) =>
    reply.status(202).send(presentLoad(await ingest.startLoad(requireFullActor(request), request.params.id, request.body), ingest)));

  app.get('/api/ingest/loads', { schema: { tags, querystring: s.listLoadsQuery, response: { 200: z.array(s.loadView) } } }, async (request) =>
    (await ingest.listLoads(requireFullActor(request), request.query)).map((l) => presentLoad({ ...l, report: null }, ingest)));

  app.get('/api/ingest/loads/:id', { schema: { tags, summary: 'A load with its validation report and progress', params: s.idParams, response: { 200: s.loadView } } }, async (request, reply) => {
    void reply.header('Cache-Control', 'no-store');
    return presentLoad(await ingest.load(requireFullActor(request), request.params.id), ingest);
  });

  app.post('/api/ingest/loads/:id/publish', { schema: { tags, summary: 'Publish a validated load as a new release of the table', params: s.idParams, response: { 200: s.loadView } } }, async (request) =>
    presentLoad((await ingest.publish(requireFullActor(request), request.params.id)).load, ingest));

  app.post('/api/ingest/loads/:id/discard', { schema: { tags, params: s.idParams, response: { 200: s.loadView } } }, async (request) =>
    presentLoad(await ingest.discard(requireFullActor(request), request.params.id), ingest));

  app.get('/api/ingest/loads/:id/quarantine.parquet', { schema: { tags, summary: 'Rejected rows (NIRs masked), Parquet', params: s.idParams } }, async (request, reply) => {
    const file = await ingest.quarantineFile(requireFullActor(request), request.params.id);
    return reply.header('Content-Type', 'application/vnd.apache.parquet').header('Content-Disposition', `attachment; filename="quarantine-${request.params.id}.parquet"`).header('Cache-Control', 'no-store').send(fs.createReadStream(file));
  });

  // Chunks are raw bytes: parsed as a stream in this scope only, never buffered whole.
  void app.register(async (scope) => {
    scope.addContentTypeParser('application/octet-stream', { bodyLimit: ingest.chunkBytes + 1024 }, (_request, payload, done) => done(null, payload));
    const typed = scope.withTypeProvider<ZodTypeProvider>();
    typed.put('/api/ingest/uploads/:id/chunks', { bodyLimit: ingest.chunkBytes + 1024, schema: { tags, summary: 'Send the next chunk (application/octet-stream) starting at `offset`', params: s.idParams, querystring: s.chunkQuery, response: { 200: s.uploadView } } }, async (request) =>
      presentUpload(await ingest.appendChunk(requireFullActor(request), request.params.id, request.query.offset, request.body as Readable)));
  });
}
