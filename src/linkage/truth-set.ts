/**
 * A synthetic truth set for measuring linkage — jeu de vérité synthétique: a reference file of
 * people with a NIR (valid key) and identity traits, and a source file (a registry without NIR)
 * holding corrupted copies of some of them — typos, first/last name swaps, day/month swaps, a
 * wrong date component, a married name, missing values, a moved commune — plus people absent
 * from the reference. The generator is deterministic for a seed; the truth (which source record
 * is which reference NIR) is returned beside the files, so precision, recall and F1 can be
 * measured on the linkage's output.
 */
import fs from 'node:fs';
import path from 'node:path';
import { syntheticNir } from '../platform/identifiers/nir.js';
import { departements, femaleFirstNames, maleFirstNames, surnameEndings, surnameMiddles, surnameStarts } from './synthetic-names.js';

export interface TruthSetParams {
  /** People in the reference file. */
  referencePeople: number;
  /** Records in the source file. */
  sourceRecords: number;
  /** Share of source records that are people of the reference (the others are not in it). */
  overlap?: number;
  seed?: number;
  /** Multiplies every corruption rate (0: clean copies). */
  noise?: number;
}

export interface Traits {
  lastName: string | null;
  firstName: string | null;
  sex: 1 | 2 | null;
  /** [year, month, day] */
  birth: [number, number, number] | null;
  commune: string | null;
}

export interface ReferencePerson extends Traits {
  nir: string;
}

export interface SourceRecord extends Traits {
  id: string;
}

export interface TruthSet {
  reference: ReferencePerson[];
  source: SourceRecord[];
  /** Source record id → the NIR of the reference person it is a copy of. */
  truth: Map<string, string>;
}

/** Per-record probabilities of each corruption of a source copy (multiplied by `noise`). */
export const CORRUPTION_RATES = {
  lastNameTypo: 0.1,
  firstNameTypo: 0.07,
  namesSwapped: 0.02,
  marriedName: 0.04,
  dayMonthSwapped: 0.03,
  dateComponentWrong: 0.03,
  sexWrong: 0.005,
  movedCommune: 0.12,
  missingLastName: 0.01,
  missingFirstName: 0.03,
  missingSex: 0.02,
  missingBirthDate: 0.02,
  missingCommune: 0.05,
} as const;

/** mulberry32: a small, fast, seedable generator (not for secrets). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Zipf–Mandelbrot sampler over n ranks: p(k) ∝ 1 / (k + q)^s — a few common values and a long tail. */
function zipfSampler(n: number, q: number, s: number): (random: () => number) => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let k = 0; k < n; k++) cumulative[k] = total += 1 / (k + 1 + q) ** s;
  return (random) => {
    const x = random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function surnames(random: () => number): string[] {
  const all = new Set<string>();
  for (const a of surnameStarts) for (const b of surnameMiddles) for (const c of surnameEndings) all.add(a + b + c);
  return shuffled([...all], random);
}

function communes(random: () => number): { code: string; departement: string }[] {
  const out: { code: string; departement: string }[] = [];
  for (const d of departements) {
    const count = 20 + Math.floor(random() * 40);
    for (let i = 1; i <= count; i++) out.push({ code: d.length === 3 ? `${d}${String(i).padStart(2, '0')}` : `${d}${String(i * 7).padStart(3, '0')}`, departement: d });
  }
  return shuffled(out, random);
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzéè';

/** One typing error: a substitution, deletion, insertion, transposition or a doubled/undoubled letter. */
export function typo(word: string, random: () => number): string {
  if (word.length < 3) return word + LETTERS[Math.floor(random() * 26)];
  const i = 1 + Math.floor(random() * (word.length - 2));
  const letter = LETTERS[Math.floor(random() * LETTERS.length)]!;
  switch (Math.floor(random() * 5)) {
    case 0:
      return word.slice(0, i) + letter + word.slice(i + 1);
    case 1:
      return word.slice(0, i) + word.slice(i + 1);
    case 2:
      return word.slice(0, i) + letter + word.slice(i);
    case 3:
      return word.slice(0, i) + word[i + 1]! + word[i]! + word.slice(i + 2);
    default:
      return word[i] === word[i - 1] ? word.slice(0, i) + word.slice(i + 1) : word.slice(0, i) + word[i]! + word.slice(i);
  }
}

/** Generates the reference people and the corrupted source copies (deterministic for the seed). */
export function generateTruthSet(params: TruthSetParams): TruthSet {
  const random = seededRandom(params.seed ?? 1);
  const overlap = params.overlap ?? 0.8;
  const noise = params.noise ?? 1;
  const rate = (k: keyof typeof CORRUPTION_RATES) => random() < CORRUPTION_RATES[k] * noise;
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;

  const lastNames = surnames(random);
  const lastNameRank = zipfSampler(lastNames.length, 40, 1.05);
  const firstRank = { 1: zipfSampler(maleFirstNames.length, 4, 1), 2: zipfSampler(femaleFirstNames.length, 4, 1) };
  const places = communes(random);
  const placeRank = zipfSampler(places.length, 20, 0.9);
  const departementOf = new Map(places.map((c) => [c.code, c.departement]));
  const byDepartement = new Map<string, { code: string }[]>();
  for (const c of places) byDepartement.set(c.departement, [...(byDepartement.get(c.departement) ?? []), c]);
  const usedNirs = new Set<string>();

  const person = (): ReferencePerson => {
    const sex = random() < 0.5 ? 1 : 2;
    const year = 1925 + Math.floor(random() * 95);
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * new Date(Date.UTC(year, month, 0)).getUTCDate());
    const place = places[placeRank(random)]!;
    let nir: string;
    do nir = syntheticNir(random, { sex, birthYear: year, birthMonth: month, departement: place.departement.slice(0, 2) === '97' ? '97' : place.departement });
    while (usedNirs.has(nir));
    usedNirs.add(nir);
    const firstName = sex === 1 ? maleFirstNames[firstRank[1](random)]! : femaleFirstNames[firstRank[2](random)]!;
    return { nir, lastName: lastNames[lastNameRank(random)]!, firstName, sex, birth: [year, month, day], commune: place.code };
  };

  const reference = Array.from({ length: params.referencePeople }, person);
  const matched = Math.min(params.referencePeople, Math.round(params.sourceRecords * overlap));
  const chosen = shuffled(reference.map((_, i) => i), random).slice(0, matched);
  const truth = new Map<string, string>();
  const source: SourceRecord[] = [];
  const idOf = (i: number) => `R${String(i + 1).padStart(8, '0')}`;
  const order = shuffled(Array.from({ length: params.sourceRecords }, (_, i) => i), random);

  for (let k = 0; k < params.sourceRecords; k++) {
    const id = idOf(order[k]!);
    if (k < matched) {
      const original = reference[chosen[k]!]!;
      truth.set(id, original.nir);
      source.push({ id, ...corrupt(original) });
    } else {
      const { nir: _nir, ...stranger } = person();
      source.push({ id, ...blank(stranger) });
    }
  }
  source.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { reference, source, truth };

  function blank(t: Traits): Traits {
    return {
      lastName: rate('missingLastName') ? null : t.lastName,
      firstName: rate('missingFirstName') ? null : t.firstName,
      sex: rate('missingSex') ? null : t.sex,
      birth: rate('missingBirthDate') ? null : t.birth,
      commune: rate('missingCommune') ? null : t.commune,
    };
  }

  function corrupt(p: ReferencePerson): Traits {
    let lastName = p.lastName!;
    let firstName = p.firstName!;
    let sex = p.sex;
    let birth = [...p.birth!] as [number, number, number];
    let commune = p.commune!;
    if (p.sex === 2 && rate('marriedName')) lastName = lastNames[lastNameRank(random)]!;
    if (rate('lastNameTypo')) lastName = typo(lastName, random);
    if (rate('firstNameTypo')) firstName = typo(firstName, random);
    if (rate('namesSwapped')) [lastName, firstName] = [firstName, lastName];
    if (rate('dayMonthSwapped') && birth[2] <= 12 && birth[2] !== birth[1]) birth = [birth[0], birth[2], birth[1]];
    else if (rate('dateComponentWrong')) {
      const which = Math.floor(random() * 3);
      if (which === 0) birth[0] += random() < 0.5 ? -1 : 1;
      else if (which === 1) birth[1] = (birth[1] % 12) + 1;
      else birth[2] = birth[2] >= 28 ? birth[2] - 1 : birth[2] + 1;
    }
    if (rate('sexWrong')) sex = sex === 1 ? 2 : 1;
    if (rate('movedCommune')) {
      const sameDepartement = byDepartement.get(departementOf.get(commune)!)!;
      commune = random() < 0.5 ? pick(sameDepartement).code : places[placeRank(random)]!.code;
    }
    return blank({ lastName, firstName, sex, birth, commune });
  }
}

const iso = (b: [number, number, number]) => `${b[0]}-${String(b[1]).padStart(2, '0')}-${String(b[2]).padStart(2, '0')}`;
const french = (b: [number, number, number]) => `${String(b[2]).padStart(2, '0')}/${String(b[1]).padStart(2, '0')}/${b[0]}`;
const cell = (v: string | number | null) => (v === null ? '' : /[",;\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

/**
 * Writes the truth set as two CSV files the way producers send them: the reference as the
 * insurer would (`,`, upper-case names, sex 1/2, ISO dates), the registry its own way (`;`,
 * mixed case with accents, sex M/F, dates DD/MM/YYYY). Returns the paths.
 */
export function writeTruthSetCsv(set: TruthSet, dir: string): { reference: string; source: string } {
  fs.mkdirSync(dir, { recursive: true });
  const reference = path.join(dir, 'reference.csv');
  const source = path.join(dir, 'source.csv');
  const refLines = ['nir,last_name,first_name,sex,birth_date,commune'];
  for (const p of set.reference) refLines.push([p.nir, p.lastName?.toUpperCase() ?? null, p.firstName?.toUpperCase() ?? null, p.sex, p.birth ? iso(p.birth) : null, p.commune].map(cell).join(','));
  fs.writeFileSync(reference, refLines.join('\n') + '\n');
  const srcLines = ['id;last_name;first_name;sex;birth_date;commune'];
  for (const r of set.source) srcLines.push([r.id, r.lastName, r.firstName, r.sex === null ? null : r.sex === 1 ? 'M' : 'F', r.birth ? french(r.birth) : null, r.commune].map(cell).join(';'));
  fs.writeFileSync(source, srcLines.join('\n') + '\n');
  return { reference, source };
}

export interface LinkageQuality {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Precision, recall and F1 of links (source id → pseudonym) against the truth (source id → expected pseudonym). */
export function evaluateLinks(links: ReadonlyMap<string, string>, truth: ReadonlyMap<string, string>): LinkageQuality {
  let tp = 0;
  for (const [id, pseudonym] of links) if (truth.get(id) === pseudonym) tp++;
  const fp = links.size - tp;
  const fn = truth.size - tp;
  const precision = links.size ? tp / links.size : 1;
  const recall = truth.size ? tp / truth.size : 1;
  return { truePositives: tp, falsePositives: fp, falseNegatives: fn, precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
}
