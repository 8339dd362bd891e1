/** Fixtures for the ingestion tests (API and browser): synthetic producer files, never real people. */
import { syntheticNir } from '../../src/platform/identifiers/nir.js';

/** A seeded IR_BEN_R extract as a producer would send it: raw NIRs, semicolons, French dates. */
export function beneficiariesCsv(count: number, seed = 7): { csv: string; nirs: string[] } {
  let state = seed;
  const random = () => ((state = (state * 48271) % 2147483647) / 2147483647);
  const nirs: string[] = [];
  const seen = new Set<string>();
  const lines = ['BEN_NIR_PSA;BEN_RNG_GEM;BEN_SEX_COD;BEN_NAI_ANN;BEN_NAI_MOI;BEN_RES_DPT;BEN_DCD_DTE;BEN_DTE_INS'];
  for (let i = 0; i < count; i++) {
    const sex = (1 + Math.floor(random() * 2)) as 1 | 2;
    const year = 1940 + Math.floor(random() * 70);
    const month = 1 + Math.floor(random() * 12);
    const nir = syntheticNir(random, { sex, birthYear: year, birthMonth: month, departement: '75' });
    if (seen.has(nir)) {
      i--; // same synthetic NIR drawn twice: draw again, a real file has one line per person
      continue;
    }
    seen.add(nir);
    nirs.push(nir);
    lines.push([nir, '1', String(sex), String(year), String(month).padStart(2, '0'), '075', i % 10 === 0 ? '2021-03-04' : '', '01/01/2015'].join(';'));
  }
  return { csv: lines.join('\n') + '\n', nirs };
}

/** The same NIR with a wrong control key (still 15 digits): the `nir_key` rule must catch it. */
export function withWrongNirKey(nir: string): string {
  return `${nir.slice(0, 13)}${String((Number(nir.slice(13)) % 97) + 1).padStart(2, '0')}`;
}
