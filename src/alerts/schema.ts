/** Shapes of the alerts domain (LOG-08). */
import { z } from 'zod';

/** Rules that raise an alert: the LOG-08 list, as far as the hub detects them today. */
export const alertRules = ['unreleased_download', 'unauthorised_download', 'large_export', 'altered_file'] as const;
export type AlertRule = (typeof alertRules)[number];
export const severities = ['low', 'medium', 'high'] as const;
export type Severity = (typeof severities)[number];

export const alertView = z.object({
  id: z.string(),
  at: z.string(),
  rule: z.string(),
  severity: z.enum(severities),
  actor: z.string(),
  projectId: z.string().optional(),
  details: z.record(z.string(), z.unknown()),
  emailed: z.boolean(),
});
export type AlertView = z.infer<typeof alertView>;

export const alertsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(200) });
