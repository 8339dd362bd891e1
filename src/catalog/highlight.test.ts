import { describe, expect, it } from 'vitest';
import { highlight, queryWords } from './highlight.js';
import { templatePattern, asList } from './import-frictionless.js';
import { inferSensitivity } from './sensitivity.js';

describe('search highlighting', () => {
  it('marks accent- and case-insensitive prefix matches, and nothing else', () => {
    const segments = highlight('Date de décès du bénéficiaire', 'DECES benef');
    expect(segments.filter((s) => s.match).map((s) => s.text)).toEqual(['décès', 'bénéficiaire']);
    expect(segments.map((s) => s.text).join('')).toBe('Date de décès du bénéficiaire');
  });
  it('matches inflected forms through a stem-like prefix', () => {
    expect(highlight('Hospitalisations en MCO', 'hospitalisation').filter((s) => s.match).map((s) => s.text)).toEqual(['Hospitalisations']);
  });
  it('clips long texts around the first match', () => {
    const long = `${'mot '.repeat(200)}décès ${'fin '.repeat(200)}`;
    const segments = highlight(long, 'deces', 100);
    expect(segments[0]?.text).toBe('…');
    expect(segments.some((s) => s.match && s.text === 'décès')).toBe(true);
    expect(segments.map((s) => s.text).join('').length).toBeLessThanOrEqual(102);
  });
  it('splits query words on anything but letters and digits', () => {
    expect(queryWords('BEN_NIR-psa  décès')).toEqual(['ben', 'nir', 'psa', 'deces']);
  });
});

describe('dictionary quirks', () => {
  it('year templates become patterns: aa (two-digit year), AAAA and GN', () => {
    expect(new RegExp(templatePattern('T_MCOaaB')!).test('T_MCO19B')).toBe(true);
    expect(new RegExp(templatePattern('T_MCOaaB')!).test('T_MCO19C')).toBe(false);
    expect(new RegExp(templatePattern('CT_IDE_AAAA_GN')!).test('CT_IDE_2019_G8')).toBe(true);
    expect(templatePattern('ER_PRS_F')).toBeNull();
  });
  it('keys as a string or a list', () => {
    expect(asList('A')).toEqual(['A']);
    expect(asList(['A', 'B'])).toEqual(['A', 'B']);
    expect(asList('')).toEqual([]);
  });
  it('SDC-07: potential identifiers and health data are flagged when the schema is silent', () => {
    expect(inferSensitivity('BEN_RES_COM', '', null)).toBe('potential_identifier');
    expect(inferSensitivity('BEN_NAI_ANN', '', null)).toBe('potential_identifier');
    expect(inferSensitivity('BEN_IDT_ANO', '', null)).toBe('direct_identifier');
    // The NIR's control return code and kind code carry no identity (the extraction must not re-pseudonymise them).
    expect(inferSensitivity('NIR_RET', '', null)).toBeNull();
    expect(inferSensitivity('BEN_CDI_NIR', '', null)).toBeNull();
    expect(inferSensitivity('NIR_ANO_17', '', null)).toBe('direct_identifier');
    expect(inferSensitivity('DGN_PAL', '', 'CIM10')).toBe('health_data');
    expect(inferSensitivity('PRS_ORD_NUM', 'Numéro d’ordre', null)).toBeNull();
  });
});
