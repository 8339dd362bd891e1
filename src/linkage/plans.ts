/**
 * What a queued run will do (its plan), and what of it is kept and shown: the description, the
 * parameters (names and settings, never a path of the server's disk), the settings with their
 * defaults.
 */
import type { InputFile, ReferenceColumns, SourceColumns } from './prepare.js';
import { DEFAULT_SETTINGS, type ProbabilisticSettings } from './probabilistic.js';
import type { LakeColumnRef, SettingsInput } from './schema.js';

/** A probabilistic run on files of the server's disk (command line only). */
export interface LocalProbabilisticInput {
  output: string;
  reference: { path: string; columns?: Partial<ReferenceColumns> };
  source: { path: string; columns?: Partial<SourceColumns> };
  settings?: SettingsInput;
}

export interface ProbabilisticPlan {
  kind: 'probabilistic';
  output: string;
  reference: InputFile;
  referenceColumns: ReferenceColumns;
  source: InputFile;
  sourceColumns: SourceColumns;
  settings: ProbabilisticSettings;
  /** Uploads to delete once the run ends. */
  uploads: { id: string; path: string }[];
}

export interface DeterministicPlan {
  kind: 'deterministic';
  left: LakeColumnRef;
  right: LakeColumnRef;
}

export type Plan = ProbabilisticPlan | DeterministicPlan;

export function settingsFrom(input: SettingsInput | undefined): ProbabilisticSettings {
  return {
    ...DEFAULT_SETTINGS,
    ...(input?.blocking ? { blocking: input.blocking as ProbabilisticSettings['blocking'] } : {}),
    ...(input?.uEstimation ? { uEstimation: input.uEstimation } : {}),
    ...(input?.termFrequency !== undefined ? { termFrequency: input.termFrequency } : {}),
    ...(input?.threshold !== undefined ? { threshold: input.threshold } : {}),
    ...(input?.maxIterations !== undefined ? { maxIterations: input.maxIterations } : {}),
  };
}

export function describe(plan: Plan): string {
  if (plan.kind === 'deterministic') {
    const side = (r: LakeColumnRef) => `${r.release} v${r.version} ${r.table}.${r.column}`;
    return `${side(plan.left)} ↔ ${side(plan.right)}`;
  }
  return `${plan.source.label} → ${plan.reference.label} (${plan.output})`;
}

/** What is kept of a plan: names and settings, never a path of the server's disk. */
export function parametersOf(plan: Plan): Record<string, unknown> {
  if (plan.kind === 'deterministic') return { left: plan.left, right: plan.right };
  return { output: plan.output, reference: { file: plan.reference.label, columns: plan.referenceColumns }, source: { file: plan.source.label, columns: plan.sourceColumns }, settings: plan.settings };
}
