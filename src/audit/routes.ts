import { Readable } from 'node:stream';
import { z } from 'zod';
import { requireActor, type HubApp } from '../platform/http/app.js';
import type { AuditService } from './service.js';

const filterQuery = z.strictObject({
  actor: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  project: z.string().max(100).optional(),
  outcome: z.enum(['success', 'failure', 'denied']).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const eventView = z.object({
  seq: z.number(),
  occurredAt: z.string(),
  actorId: z.string().nullable(),
  actorLabel: z.string(),
  actorRole: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  projectId: z.string().nullable(),
  outcome: z.enum(['success', 'failure', 'denied']),
  sourceIp: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});

function toFilter(q: z.infer<typeof filterQuery>) {
  const to = q.to ? new Date(`${q.to}T00:00:00Z`) : undefined;
  if (to) to.setUTCDate(to.getUTCDate() + 1); // `to` is inclusive: the whole day
  return { actor: q.actor, action: q.action, projectId: q.project, outcome: q.outcome, from: q.from ? new Date(`${q.from}T00:00:00Z`) : undefined, to, beforeSeq: q.before };
}

export function registerAuditRoutes(app: HubApp, audit: AuditService): void {
  app.get('/api/audit/events', { schema: { tags: ['audit'], summary: 'Search the audit log (security officer)', querystring: filterQuery, response: { 200: z.object({ events: z.array(eventView) }) } } }, async (request) => ({
    events: await audit.search(requireActor(request), toFilter(request.query), request.query.limit),
  }));

  app.get('/api/audit/events.csv', { schema: { tags: ['audit'], summary: 'Export the filtered log as CSV', querystring: filterQuery } }, async (request, reply) => {
    const actor = requireActor(request);
    const chunks = audit.exportCsv(actor, toFilter(request.query));
    // Pull the first chunk now so a refusal becomes a proper error response, not a broken stream.
    const first = await chunks.next();
    async function* all() {
      if (!first.done) yield first.value;
      yield* chunks;
    }
    return reply
      .type('text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`)
      .send(Readable.from(all()));
  });

  app.post('/api/audit/verify', { schema: { tags: ['audit'], summary: 'Replay the hash chain and the seals', response: { 200: z.object({ ok: z.boolean(), eventsChecked: z.number(), sealsChecked: z.number(), head: z.object({ seq: z.number(), hash: z.string() }).nullable(), problems: z.array(z.object({ kind: z.string(), seq: z.number().optional(), day: z.string().optional(), message: z.string() })), unsealedDays: z.array(z.string()) }) } } }, async (request) => audit.verify(requireActor(request)));
}
