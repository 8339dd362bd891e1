/**
 * The disclosure-check settings as form text and back (pure, unit-tested). The hub's settings are
 * complete; a dataset's override is partial: an empty field inherits the hub's value. Dominance
 * rules are written one per line as `n, k` (`1, 85` — the largest contributor at most 85 %),
 * potential identifiers one column name per line.
 */
import type { SdcSettings } from './types.ts';

export interface SettingsDraft {
  threshold: string;
  zeroCells: '' | 'review' | 'pass';
  dominance: string;
  pPercent: string;
  minResidualDf: string;
  potentialIdentifiers: string;
  /** Empty: off for the hub, inherited for a dataset. */
  roundingBase: string;
  differencing: '' | 'on' | 'off';
}

export function toDraft(s: Partial<SdcSettings>): SettingsDraft {
  return {
    threshold: s.threshold === undefined ? '' : String(s.threshold),
    zeroCells: s.zeroCells ?? '',
    dominance: s.dominance ? s.dominance.map((d) => `${d.n}, ${d.k}`).join('\n') : '',
    pPercent: s.pPercent === undefined ? '' : String(s.pPercent),
    minResidualDf: s.minResidualDf === undefined ? '' : String(s.minResidualDf),
    potentialIdentifiers: s.potentialIdentifiers ? s.potentialIdentifiers.join('\n') : '',
    roundingBase: s.roundingBase === undefined || s.roundingBase === null ? '' : String(s.roundingBase),
    differencing: s.differencing === undefined ? '' : s.differencing ? 'on' : 'off',
  };
}

export type DraftError = { field: keyof SettingsDraft; line?: number };

function number(text: string, field: keyof SettingsDraft, errors: DraftError[], min: number, max: number): number | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text.trim());
  if (!Number.isFinite(n) || n < min || n > max) {
    errors.push({ field });
    return undefined;
  }
  return n;
}

/** The settings a draft says; `partial`: empty fields are left out (a dataset's override). */
export function fromDraft(draft: SettingsDraft, partial: boolean): { settings: Partial<SdcSettings>; errors: DraftError[] } {
  const errors: DraftError[] = [];
  const out: Partial<SdcSettings> = {};
  const threshold = number(draft.threshold, 'threshold', errors, 1, 1000);
  if (threshold !== undefined) out.threshold = Math.round(threshold);
  if (draft.zeroCells) out.zeroCells = draft.zeroCells;
  if (draft.dominance.trim() !== '') {
    const rules: { n: number; k: number }[] = [];
    draft.dominance.split('\n').forEach((raw, i) => {
      const line = raw.trim();
      if (!line) return;
      const m = /^(\d+)\s*[,;/ ]\s*(\d+(?:\.\d+)?)\s*%?$/.exec(line);
      const n = m ? Number(m[1]) : NaN;
      const k = m ? Number(m[2]) : NaN;
      // n is 1 or 2: a magnitude cell carries its two largest contributions (top1, top2), no more.
      if (!m || n < 1 || n > 2 || k <= 0 || k > 100) errors.push({ field: 'dominance', line: i + 1 });
      else rules.push({ n, k });
    });
    out.dominance = rules;
  }
  const p = number(draft.pPercent, 'pPercent', errors, 0, 100);
  if (p !== undefined) out.pPercent = p;
  const df = number(draft.minResidualDf, 'minResidualDf', errors, 0, 100_000);
  if (df !== undefined) out.minResidualDf = Math.round(df);
  if (draft.potentialIdentifiers.trim() !== '') {
    out.potentialIdentifiers = [...new Set(draft.potentialIdentifiers.split('\n').map((l) => l.trim()).filter(Boolean))];
  }
  const base = number(draft.roundingBase, 'roundingBase', errors, 2, 1000);
  if (base !== undefined) out.roundingBase = Math.round(base);
  else if (!partial && draft.roundingBase.trim() === '') out.roundingBase = null;
  if (draft.differencing) out.differencing = draft.differencing === 'on';
  if (!partial) {
    // The hub's settings are complete: an empty field is an error, except rounding (empty = off).
    for (const field of ['threshold', 'zeroCells', 'pPercent', 'minResidualDf', 'differencing'] as const) {
      if (draft[field].trim() === '' && !errors.some((e) => e.field === field)) errors.push({ field });
    }
    if (!out.dominance) out.dominance = [];
    if (!out.potentialIdentifiers) out.potentialIdentifiers = [];
  }
  return { settings: out, errors };
}
