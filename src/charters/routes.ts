import { z } from 'zod';
import { HdhError } from '../platform/errors.js';
import { requireFullActor, type HubApp } from '../platform/http/app.js';
import type { CharterService } from './service.js';

const charterView = z.object({
  id: z.string(),
  kind: z.enum(['user', 'producer', 'citizen']),
  version: z.number(),
  title: z.object({ fr: z.string(), en: z.string() }),
  body: z.object({ fr: z.string(), en: z.string() }),
  publishedAt: z.string(),
});
const kindParams = z.strictObject({ kind: z.enum(['user', 'producer', 'citizen']) });
const publishBody = z.strictObject({
  kind: z.enum(['user', 'producer', 'citizen']),
  title: z.strictObject({ fr: z.string().min(3).max(200), en: z.string().min(3).max(200) }),
  body: z.strictObject({ fr: z.string().min(20).max(100_000), en: z.string().min(20).max(100_000) }),
});

export function registerCharterRoutes(app: HubApp, charters: CharterService): void {
  app.get('/api/charters/:kind/current', { schema: { tags: ['charters'], summary: 'Current version of a charter (public)', params: kindParams, response: { 200: charterView } } }, async (request) => {
    const charter = await charters.current(request.params.kind);
    if (!charter) throw new HdhError('charter.not_found', 404, { kind: request.params.kind });
    return charter;
  });

  app.get('/api/charters', { schema: { tags: ['charters'], summary: 'Every version of every charter (public)', response: { 200: z.array(charterView) } } }, async () => charters.list());

  app.post('/api/charters/:id/accept', { schema: { tags: ['charters'], summary: 'Accept the current user charter (AUTH-05)', params: z.strictObject({ id: z.uuid() }), response: { 204: z.null() } } }, async (request, reply) => {
    await charters.accept(requireFullActor(request), request.params.id);
    return reply.status(204).send(null);
  });

  app.post('/api/admin/charters', { schema: { tags: ['admin'], summary: 'Publish a new charter version', body: publishBody, response: { 201: charterView } } }, async (request, reply) => reply.status(201).send(await charters.publish(requireFullActor(request), request.body)));
}
