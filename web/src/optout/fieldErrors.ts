/**
 * Located errors of the opposition forms: which field, and why, in the user's language. The
 * server names the field (`body.nir`…) and the problem (`key`, `birth_year`…); this maps them to
 * messages, and checks the empty fields before anything is sent.
 */
import { ApiError } from '../api.ts';
import type { MessageKey } from '../i18n.ts';

export type OptoutField = 'nir' | 'birthDate' | 'receipt';
export type FieldErrors = Partial<Record<OptoutField, MessageKey>>;

const fields: readonly OptoutField[] = ['receipt', 'nir', 'birthDate'];

function messageFor(field: OptoutField, problem: string | undefined): MessageKey {
  if (problem === 'no_match') return 'optout.error.noMatch';
  if (problem === 'birth_year') return field === 'nir' ? 'optout.error.nir.birthYear' : 'optout.error.birthDate.birthYear';
  if (problem === 'birth_month') return field === 'nir' ? 'optout.error.nir.birthMonth' : 'optout.error.birthDate.birthMonth';
  switch (field) {
    case 'nir':
      return problem === 'key' ? 'optout.error.nir.key' : problem === 'characters' ? 'optout.error.nir.characters' : 'optout.error.nir.length';
    case 'birthDate':
      return problem === 'birth_date_future' ? 'optout.error.birthDate.future' : 'optout.error.birthDate.invalid';
    case 'receipt':
      return problem === 'check' ? 'optout.error.receipt.check' : 'optout.error.receipt.malformed';
  }
}

/** The field errors an API error carries, or null when it names no field of the form. */
export function fieldErrorsFrom(error: unknown): FieldErrors | null {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return null;
  const out: FieldErrors = {};
  for (const detail of error.details as { location?: unknown; problem?: unknown }[]) {
    const field = typeof detail.location === 'string' ? detail.location.replace(/^body\./, '') : '';
    if (!(fields as readonly string[]).includes(field)) continue;
    out[field as OptoutField] ??= messageFor(field as OptoutField, typeof detail.problem === 'string' ? detail.problem : undefined);
  }
  return Object.keys(out).length > 0 ? out : null;
}

const required: Record<OptoutField, MessageKey> = {
  nir: 'optout.error.nir.required',
  birthDate: 'optout.error.birthDate.required',
  receipt: 'optout.error.receipt.required',
};

/** Empty fields, checked in the browser so the person hears at once what is missing. */
export function missingFields(values: Partial<Record<OptoutField, string>>): FieldErrors | null {
  const out: FieldErrors = {};
  for (const [field, value] of Object.entries(values) as [OptoutField, string][]) if (!value.trim()) out[field] = required[field];
  return Object.keys(out).length > 0 ? out : null;
}

/** The errors in the order the fields appear on the form, for the summary at its top. */
export function orderedErrors(errors: FieldErrors, order: readonly OptoutField[]): [OptoutField, MessageKey][] {
  return order.filter((f) => errors[f]).map((f) => [f, errors[f]!]);
}
