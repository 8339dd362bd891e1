/** HTTP adapter of synthetic data: public reads and downloads, administrators' generation. */
import { requireFullActor, type HubApp } from '../platform/http/app.js';
import * as s from './schema.js';
import type { SyntheticService } from './service.js';

export function registerSyntheticRoutes(app: HubApp, synthetic: SyntheticService): void {
  app.get('/api/synthetic/releases', { schema: { tags: ['synthetic'], summary: 'Synthetic releases (public)', response: { 200: s.releaseView.array() } } }, async () => synthetic.listReleases());

  app.get('/api/synthetic/releases/:name/:version', { schema: { tags: ['synthetic'], params: s.releaseParams, response: { 200: s.releaseView } } }, async (request) => synthetic.getRelease(request.params.name, request.params.version));

  app.get('/api/synthetic/releases/:name/:version/tables/:table/sample', { schema: { tags: ['synthetic'], summary: 'First rows of a table (at most 50)', params: s.tableParams, querystring: s.sampleQuery, response: { 200: s.sampleView } } }, async (request) => {
    const { name, version, table } = request.params;
    return synthetic.sample(name, version, table, request.query.limit);
  });

  app.get('/api/synthetic/releases/:name/:version/tables/:table/download', { schema: { tags: ['synthetic'], summary: 'A whole table as CSV or Parquet (streamed)', params: s.tableParams, querystring: s.downloadQuery } }, async (request, reply) => {
    const { name, version, table } = request.params;
    const file = await synthetic.download(name, version, table, request.query.format);
    return reply.header('Content-Type', file.contentType).header('Content-Disposition', `attachment; filename="${file.fileName}"`).send(file.body);
  });

  app.post('/api/admin/synthetic/releases', { schema: { tags: ['admin'], summary: 'Generate a synthetic SNDS release', body: s.generateBody, response: { 201: s.releaseView } } }, async (request, reply) => {
    const actor = requireFullActor(request);
    const result = await synthetic.generate(actor, request.body);
    return reply.status(201).send(synthetic.getRelease(result.manifest.name, result.manifest.version));
  });
}
