import { describe, expect, it } from 'vitest';
import { ApiError } from '../api.ts';
import { fieldErrorsFrom, missingFields, orderedErrors } from './fieldErrors.ts';

describe('opposition form errors', () => {
  it('name the field and the reason the server gave', () => {
    expect(fieldErrorsFrom(new ApiError(400, 'optout.nir_key', '…', [{ location: 'body.nir', problem: 'key', message: 'x' }]))).toEqual({ nir: 'optout.error.nir.key' });
    expect(
      fieldErrorsFrom(new ApiError(400, 'optout.birth_date_mismatch', '…', [
        { location: 'body.birthDate', problem: 'birth_month' },
        { location: 'body.nir', problem: 'birth_month' },
      ])),
    ).toEqual({ birthDate: 'optout.error.birthDate.birthMonth', nir: 'optout.error.nir.birthMonth' });
    expect(fieldErrorsFrom(new ApiError(404, 'optout.no_match', '…', [{ location: 'body.receipt', problem: 'no_match' }, { location: 'body.nir', problem: 'no_match' }]))).toEqual({ receipt: 'optout.error.noMatch', nir: 'optout.error.noMatch' });
    expect(fieldErrorsFrom(new ApiError(400, 'request.invalid', '…', [{ location: 'body.birthDate', message: 'Invalid ISO date' }]))).toEqual({ birthDate: 'optout.error.birthDate.invalid' });
    expect(fieldErrorsFrom(new ApiError(400, 'optout.receipt_invalid', '…', [{ location: 'body.receipt', problem: 'check' }]))).toEqual({ receipt: 'optout.error.receipt.check' });
  });

  it('leave errors that name no field to the general alert', () => {
    expect(fieldErrorsFrom(new ApiError(429, 'request.rate_limited', '…'))).toBeNull();
    expect(fieldErrorsFrom(new ApiError(400, 'request.invalid', '…', [{ location: 'body', message: 'unknown field(s)' }]))).toBeNull();
    expect(fieldErrorsFrom(new Error('network'))).toBeNull();
  });

  it('catch empty fields before sending, and list errors in the form’s order', () => {
    expect(missingFields({ nir: ' ', birthDate: '1984-12-03' })).toEqual({ nir: 'optout.error.nir.required' });
    expect(missingFields({ nir: '1', birthDate: '1' })).toBeNull();
    expect(orderedErrors({ birthDate: 'optout.error.birthDate.required', nir: 'optout.error.nir.required' }, ['nir', 'birthDate']).map(([f]) => f)).toEqual(['nir', 'birthDate']);
  });
});
