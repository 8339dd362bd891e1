/** Inputs and outputs of the synthetic-data API. */
import { z } from 'zod';

export const releaseParams = z.strictObject({ name: z.string().regex(/^[a-z0-9-]{1,63}$/), version: z.coerce.number().int().min(1) });
export const tableParams = releaseParams.extend({ table: z.string().regex(/^[A-Za-z0-9_]{1,64}$/) });
export const sampleQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(50).default(50) });
export const downloadQuery = z.strictObject({ format: z.enum(['csv', 'parquet']).default('csv') });

export const releaseView = z.object({
  name: z.string(),
  version: z.number(),
  synthetic: z.boolean(),
  createdAt: z.string(),
  generator: z.object({ name: z.string(), parameters: z.record(z.string(), z.unknown()) }).nullable(),
  tables: z.array(z.object({ name: z.string(), rows: z.number(), product: z.string().nullable(), schema: z.string().nullable(), bytes: z.number() })),
});
export type ReleaseView = z.infer<typeof releaseView>;

export const sampleView = z.object({
  table: z.string(),
  columns: z.array(z.string()),
  rows: z.array(z.record(z.string(), z.unknown())),
});

export const generateBody = z.strictObject({
  persons: z.number().int().min(1).max(200_000),
  fromYear: z.number().int().min(2006).max(2099),
  toYear: z.number().int().min(2006).max(2099),
  seed: z.number().int().min(0).max(2 ** 31),
});
