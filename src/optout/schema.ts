/**
 * Inputs and outputs of the opposition API. The NIR is a free string here (the service checks
 * it and names the problem); no field is kept beyond the request.
 */
import { z } from 'zod';

const nir = z.string().trim().min(1).max(40).describe('NIR with its key (15 characters; spaces allowed). Never stored.');

export const recordOppositionBody = z.strictObject({
  nir,
  birthDate: z.iso.date().describe('YYYY-MM-DD; compared with the NIR, never stored'),
});
export type RecordOppositionInput = z.infer<typeof recordOppositionBody>;

export const withdrawOppositionBody = z.strictObject({
  receipt: z.string().trim().min(1).max(40).describe('Receipt reference given at recording (OPP-XXXX-XXXX-XXXX-XXXX)'),
  nir,
});
export type WithdrawOppositionInput = z.infer<typeof withdrawOppositionBody>;

export const oppositionReceiptView = z.object({
  receipt: z.string().describe('Shown once: the hub keeps only its hash'),
  recordedAt: z.string(),
});
export type OppositionReceipt = z.infer<typeof oppositionReceiptView>;

export const withdrawalView = z.object({ withdrawnAt: z.string() });

export const oppositionCountsView = z.object({
  asOf: z.string(),
  active: z.number().int(),
  months: z.array(z.object({ month: z.string(), recorded: z.number().int(), withdrawn: z.number().int() })),
});
export type OppositionCounts = z.infer<typeof oppositionCountsView>;
