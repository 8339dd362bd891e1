/**
 * Opposition routes. The two public ones take no account and ignore any session (an opposition
 * is never tied to a hub account); they sit under `OPPOSITION_PUBLIC_PREFIX`, which the
 * composition root rate-limits per client address. Staff counts live in the admin API.
 */
import { z } from 'zod';
import { requireFullActor, type HubApp } from '../platform/http/app.js';
import { oppositionCountsView, oppositionReceiptView, recordOppositionBody, withdrawalView, withdrawOppositionBody } from './schema.js';
import type { OptoutService } from './service.js';

export const OPPOSITION_PUBLIC_PREFIX = '/api/opposition/';

const located = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.array(z.object({ location: z.string(), problem: z.string().optional(), message: z.string() })).optional() }) });

export function registerOptoutRoutes(app: HubApp, optout: OptoutService): void {
  app.post(
    `${OPPOSITION_PUBLIC_PREFIX}records`,
    {
      schema: {
        tags: ['opposition'],
        summary: 'Record an opposition (public, no account; PR-01). The NIR is pseudonymised at once and never stored.',
        body: recordOppositionBody,
        response: { 201: oppositionReceiptView, 400: located },
      },
    },
    async (request, reply) => reply.status(201).send(await optout.record(request.body, { ip: request.ip })),
  );

  app.post(
    `${OPPOSITION_PUBLIC_PREFIX}withdrawals`,
    {
      schema: {
        tags: ['opposition'],
        summary: 'Withdraw an opposition with its receipt reference and the NIR (public, no account)',
        body: withdrawOppositionBody,
        response: { 200: withdrawalView, 400: located, 404: located },
      },
    },
    async (request) => optout.withdraw(request.body, { ip: request.ip }),
  );

  app.get(
    '/api/admin/opposition/counts',
    { schema: { tags: ['admin'], summary: 'Opposition counts for hub staff: active, recorded and withdrawn per month — never people', response: { 200: oppositionCountsView } } },
    async (request) => optout.counts(requireFullActor(request)),
  );
}
