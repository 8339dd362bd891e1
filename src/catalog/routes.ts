/**
 * HTTP routes of the catalogue. Reading is public (no login); edits need a full session and the
 * service's policy decides who. RDF (DCAT-AP / HealthDCAT-AP) by content negotiation on Accept or
 * by `.ttl` / `.jsonld` URLs.
 */
import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HdhError } from '../platform/errors.js';
import { requireFullActor, type HubApp } from '../platform/http/app.js';
import { buildDcatQuads, toJsonLd, toTurtle } from './dcat.js';
import { importArchive, MAX_UNPACKED_BYTES } from './import-archive.js';
import {
  datasetInput, datasetPatch, datasetSummaryView, datasetView, graphView, nomenclatureSummaryView, nomenclatureView, producerPatch, producerView, searchQuery,
  searchResultView, type SearchResult, tablePatch, importResultView, docPageView, docProposal, docProposalView, docReview, programInput, programSummaryView, programVersionInput, programView, subjectTypes, tableSummaryView, tableView, variableDetailView, variablePatch, versionView, changeView,
} from './schema.js';
import { searchResultJson } from './search.js';
import type { CatalogService } from './service.js';

export interface CatalogRouteOptions {
  /** Public origin of the hub, for the IRIs of the RDF export. */
  baseUrl: string;
}

type RdfFormat = 'turtle' | 'jsonld';
const rdfTypes: Record<RdfFormat, string> = { turtle: 'text/turtle; charset=utf-8', jsonld: 'application/ld+json; charset=utf-8' };

/** `.ttl` / `.jsonld` suffix first, then Accept; null means plain JSON. */
function rdfFormat(request: FastifyRequest, ref: string, defaultRdf: RdfFormat | null): { format: RdfFormat | null; ref: string } {
  if (ref.endsWith('.ttl')) return { format: 'turtle', ref: ref.slice(0, -4) };
  if (ref.endsWith('.jsonld')) return { format: 'jsonld', ref: ref.slice(0, -7) };
  const accept = request.headers.accept ?? '';
  if (/text\/turtle/.test(accept)) return { format: 'turtle', ref };
  if (/application\/ld\+json/.test(accept)) return { format: 'jsonld', ref };
  return { format: defaultRdf, ref };
}

async function sendRdf(reply: FastifyReply, format: RdfFormat, quads: ReturnType<typeof buildDcatQuads>) {
  const body = format === 'turtle' ? await toTurtle(quads) : JSON.stringify(toJsonLd(quads));
  // The route's JSON serializer is for the JSON view: RDF goes out as the text it already is.
  return reply.header('Vary', 'Accept').type(rdfTypes[format]).serializer((payload) => payload as string).send(body);
}

const tableParams = z.strictObject({ name: z.string().min(1).max(100) });
const variableParams = z.strictObject({ name: z.string().min(1).max(100), variable: z.string().min(1).max(100) });
const tags = ['catalog'];

export function registerCatalogRoutes(app: HubApp, catalog: CatalogService, options: CatalogRouteOptions): void {
  const dcatOptions = { baseUrl: options.baseUrl };

  // The admin UI's import: a .zip of a Frictionless folder, multipart only in this scope.
  void app.register(async (scope) => {
    const typed = scope.withTypeProvider<ZodTypeProvider>();
    await typed.register(multipart, { limits: { fileSize: MAX_UNPACKED_BYTES, files: 1, fields: 0 } });
    const importQuery = z.strictObject({ source: z.string().trim().min(1).max(100).regex(/^[\p{L}\p{N} ._-]+$/u, 'letters, digits, space, . _ -').optional(), productDatasets: z.enum(['true', 'false']).default('true') });
    typed.post('/api/admin/catalog/import', { schema: { tags, summary: 'Import a .zip of a Frictionless Table Schema folder (multipart field “file”): all or nothing', querystring: importQuery, response: { 200: importResultView } } }, async (request) => {
      const actor = requireFullActor(request);
      const file = await request.file();
      if (!file) throw new HdhError('catalog.archive_invalid', 400, { reason: 'no file part' }, [{ location: 'body.file', message: 'no file part' }]);
      const zip = await file.toBuffer();
      const source = request.query.source ?? file.filename.replace(/^.*[/\\]/, '').replace(/\.zip$/i, '');
      return importArchive(catalog, actor, zip, { source, productDatasets: request.query.productDatasets === 'true' });
    });
  });

  app.get(
    '/api/catalog/search',
    {
      schema: { tags, summary: 'French full-text search with facets and highlights (public)', querystring: searchQuery, response: { 200: searchResultView } },
      // A cached result was checked against searchResultView and serialised once (type-ahead repeats itself).
      serializerCompiler: () => (data) => searchResultJson(data as SearchResult),
    },
    (request) => catalog.search(request.query),
  );

  app.get('/api/catalog/stats', { schema: { tags, summary: 'Counts of the catalogue (public)', response: { 200: z.object({ tables: z.number(), variables: z.number(), nomenclatures: z.number(), codes: z.number(), joins: z.number(), datasets: z.number(), producers: z.number() }) } } }, () => catalog.counts());

  app.get('/api/catalog/producers', { schema: { tags, summary: 'Producers (public)', response: { 200: z.array(producerView) } } }, () => catalog.listProducers());

  app.get('/api/catalog/producers/:slug', { schema: { tags, summary: 'A producer (public; the IRI of dct:publisher in the DCAT export)', params: z.strictObject({ slug: z.string() }), response: { 200: producerView } } }, async (request) => {
    const producer = (await catalog.listProducers()).find((p) => p.slug === request.params.slug);
    if (!producer) throw new HdhError('catalog.producer_not_found', 404, { producer: request.params.slug });
    return producer;
  });

  app.patch('/api/catalog/producers/:slug', { schema: { tags, summary: 'Edit a producer, link it to an organisation (hub staff; versioned)', params: z.strictObject({ slug: z.string() }), body: producerPatch, response: { 200: producerView } } }, (request) =>
    catalog.updateProducer(requireFullActor(request), request.params.slug, request.body),
  );

  app.get('/api/catalog/datasets', { schema: { tags, summary: 'Datasets (public)', response: { 200: z.array(datasetSummaryView) } } }, () => catalog.listDatasets());

  app.post('/api/catalog/datasets', { schema: { tags, summary: 'Create a dataset (hub staff)', body: datasetInput, response: { 201: datasetView } } }, async (request, reply) =>
    reply.status(201).send(await catalog.createDataset(requireFullActor(request), request.body)),
  );

  app.get(
    '/api/catalog/datasets/:slug',
    { schema: { tags, summary: 'Dataset detail; DCAT-AP/HealthDCAT-AP with Accept text/turtle or application/ld+json, or a .ttl/.jsonld suffix (public)', params: z.strictObject({ slug: z.string().min(1).max(100) }), response: { 200: datasetView } } },
    async (request, reply) => {
      const { format, ref } = rdfFormat(request, request.params.slug, null);
      if (!format) return catalog.getDataset(ref);
      const datasets = await catalog.datasetsForExport(ref);
      return sendRdf(reply, format, buildDcatQuads(datasets, { ...dcatOptions, distributions: await catalog.distributions.latest(), withCatalogue: false }));
    },
  );

  app.patch('/api/catalog/datasets/:slug', { schema: { tags, summary: 'Edit a dataset (producer or hub staff; versioned)', params: z.strictObject({ slug: z.string() }), body: datasetPatch, response: { 200: datasetView } } }, (request) =>
    catalog.updateDataset(requireFullActor(request), request.params.slug, request.body),
  );

  app.get('/api/catalog/datasets/:slug/graph', { schema: { tags, summary: 'Join graph of a dataset (public)', params: z.strictObject({ slug: z.string() }), response: { 200: graphView } } }, (request) => catalog.joinGraph(request.params.slug));

  app.get('/api/catalog/graph', { schema: { tags, summary: 'Join graph of the whole catalogue (public)', response: { 200: graphView } } }, () => catalog.joinGraph());

  app.get('/api/catalog/tables', { schema: { tags, summary: 'Tables (public)', querystring: z.strictObject({ product: z.string().optional() }), response: { 200: z.array(tableSummaryView) } } }, (request) => catalog.listTables(request.query.product));

  app.get('/api/catalog/tables/:name', { schema: { tags, summary: 'Table detail: variables, joins, history; a yearly name finds its template (public)', params: tableParams, response: { 200: tableView } } }, (request) => catalog.getTable(request.params.name));

  app.patch('/api/catalog/tables/:name', { schema: { tags, summary: 'Edit a table (producer or hub staff; versioned)', params: tableParams, body: tablePatch, response: { 200: tableView } } }, (request) =>
    catalog.updateTable(requireFullActor(request), request.params.name, request.body),
  );

  app.get('/api/catalog/tables/:name/table-schema.json', { schema: { tags, summary: 'The table as a Frictionless Table Schema (public)', params: tableParams } }, async (request, reply) =>
    reply.type('application/json; charset=utf-8').send(await catalog.tableSchema(request.params.name)),
  );

  app.get('/api/catalog/tables/:name/variables/:variable', { schema: { tags, summary: 'Variable detail: where it is used, which joins use it (public)', params: variableParams, response: { 200: variableDetailView } } }, (request) =>
    catalog.getVariable(request.params.name, request.params.variable),
  );

  app.patch('/api/catalog/tables/:name/variables/:variable', { schema: { tags, summary: 'Edit a variable (producer or hub staff; versioned)', params: variableParams, body: variablePatch, response: { 200: variableDetailView } } }, (request) =>
    catalog.updateVariable(requireFullActor(request), request.params.name, request.params.variable, request.body),
  );

  app.get('/api/catalog/nomenclatures', { schema: { tags, summary: 'Nomenclatures (public)', response: { 200: z.array(nomenclatureSummaryView) } } }, () => catalog.listNomenclatures());

  app.get(
    '/api/catalog/nomenclatures/:name',
    {
      schema: {
        tags, summary: 'A nomenclature and a page of its codes, searchable by code prefix or label (public)',
        params: z.strictObject({ name: z.string().min(1).max(100) }),
        querystring: z.strictObject({ q: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(500).default(50), offset: z.coerce.number().int().min(0).default(0) }),
        response: { 200: nomenclatureView },
      },
    },
    (request) => catalog.getNomenclature(request.params.name, request.query),
  );

  app.get('/api/catalog/versions', { schema: { tags, summary: 'Catalogue versions, newest first (public)', response: { 200: z.array(versionView) } } }, () => catalog.listVersions());

  app.get(
    '/api/catalog/versions/:number',
    {
      schema: {
        tags, summary: 'One version and its changes (added / changed / removed) (public)',
        params: z.strictObject({ number: z.coerce.number().int().min(1) }),
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(200), offset: z.coerce.number().int().min(0).default(0) }),
        response: { 200: versionView.extend({ changes: z.array(changeView) }) },
      },
    },
    (request) => catalog.getVersion(request.params.number, request.query),
  );

  registerDocumentationRoutes(app, catalog);

  for (const suffix of ['', '.ttl', '.jsonld']) {
    app.get(`/api/catalog/dcat${suffix}`, { schema: { tags, summary: 'The whole catalogue as DCAT-AP 3 / HealthDCAT-AP (JSON-LD by default, Turtle on Accept text/turtle) (public)' } }, async (request, reply) => {
      const { format } = rdfFormat(request, `dcat${suffix}`, 'jsonld');
      const datasets = await catalog.datasetsForExport();
      return sendRdf(reply, format!, buildDcatQuads(datasets, { ...dcatOptions, distributions: await catalog.distributions.latest(), withCatalogue: true }));
    });
  }
}


function registerDocumentationRoutes(app: HubApp, catalog: CatalogService): void {
  const docs = catalog.documentation;
  const pageParams = z.strictObject({ id: z.uuid() });
  const revisionParams = z.strictObject({ id: z.uuid(), number: z.coerce.number().int().min(1) });

  app.get(
    '/api/catalog/docs',
    { schema: { tags, summary: 'Documentation pages of a dataset, table or variable, published text rendered as sanitised HTML (public)', querystring: z.strictObject({ subjectType: z.enum(subjectTypes), subjectKey: z.string().min(1).max(200) }), response: { 200: z.array(docPageView) } } },
    (request) => docs.listForSubject(request.query.subjectType, request.query.subjectKey),
  );
  app.get('/api/catalog/docs/pages/:id', { schema: { tags, summary: 'A documentation page with its revisions and their diffs (public)', params: pageParams, response: { 200: docPageView } } }, (request) => docs.getPage(request.params.id));
  app.post('/api/catalog/docs', { schema: { tags, summary: 'Propose a documentation revision (signed-in users); approvers may publish at once', body: docProposal, response: { 201: docPageView } } }, async (request, reply) =>
    reply.status(201).send(await docs.propose(requireFullActor(request), request.body)),
  );
  app.get('/api/catalog/docs/proposals', { schema: { tags, summary: 'Proposals the caller may approve (hub staff, producers)', response: { 200: z.array(docProposalView) } } }, (request) => docs.pendingFor(requireFullActor(request)));
  app.post('/api/catalog/docs/pages/:id/revisions/:number/approve', { schema: { tags, summary: 'Approve and publish a proposed revision (hub staff or the producer)', params: revisionParams, body: docReview, response: { 200: docPageView } } }, (request) =>
    docs.review(requireFullActor(request), request.params.id, request.params.number, 'approve', request.body.note),
  );
  app.post('/api/catalog/docs/pages/:id/revisions/:number/reject', { schema: { tags, summary: 'Reject a proposed revision (hub staff or the producer)', params: revisionParams, body: docReview, response: { 200: docPageView } } }, (request) =>
    docs.review(requireFullActor(request), request.params.id, request.params.number, 'reject', request.body.note),
  );

  const programs = catalog.programs;
  app.get(
    '/api/catalog/programs',
    { schema: { tags, summary: 'Shared programs, searchable, by table (public)', querystring: z.strictObject({ q: z.string().max(200).optional(), table: z.string().max(100).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }), response: { 200: z.array(programSummaryView) } } },
    (request) => programs.search(request.query),
  );
  app.get('/api/catalog/programs/:slug', { schema: { tags, summary: 'A shared program with every version (public)', params: z.strictObject({ slug: z.string() }), response: { 200: programView } } }, (request) => programs.get(request.params.slug));
  app.post('/api/catalog/programs', { schema: { tags, summary: 'Share a program (signed-in users)', body: programInput, response: { 201: programView } } }, async (request, reply) =>
    reply.status(201).send(await programs.create(requireFullActor(request), request.body)),
  );
  app.post('/api/catalog/programs/:slug/versions', { schema: { tags, summary: 'Add a version (its author or hub staff)', params: z.strictObject({ slug: z.string() }), body: programVersionInput, response: { 201: programView } } }, async (request, reply) =>
    reply.status(201).send(await programs.addVersion(requireFullActor(request), request.params.slug, request.body)),
  );
}
