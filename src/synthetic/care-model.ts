/**
 * The clinical model of the synthetic SNDS — modèle de parcours de soins: an age pyramid, common
 * chronic conditions whose prevalence depends on age and sex, each with its drugs (ATC), its
 * long-term illness (ALD) and its hospital stays (ICD-10 + GHM), acute events (myocardial
 * infarction followed by statins for most, stroke, pneumonia…) and causes of death.
 * Orders of magnitude follow published French figures (INSEE pyramid 2019, Cnam pathology
 * mapping); they are plausible, not calibrated. Every code is checked against its nomenclature
 * before a run (see `checkCareModel`).
 */
import { HdhError } from '../platform/errors.js';
import './messages.js';
import type { FrictionlessCatalogue } from './frictionless.js';

/** Rates by age band at the start of the period: [0-19, 20-39, 40-59, 60-74, 75+]. */
export type BandRates = [number, number, number, number, number];

/** Population share of each 5-year age band 0-4 … 95-99 (France, 2019, approximately). */
export const agePyramid = [3.6, 3.9, 4.1, 4.0, 3.7, 3.7, 4.0, 4.2, 4.2, 4.5, 4.5, 4.3, 4.1, 3.9, 3.4, 2.3, 1.9, 1.3, 0.6, 0.2];
/** Births per person and year during the period (people born inside it get care after birth only). */
export const birthRate = 0.011;
/** Share of second-born twins (BEN_RNG_GEM = 2, same BEN_NIR_PSA as the first). */
export const twinShare = 0.01;

export interface ChronicCondition {
  key: string;
  prevalence: BandRates;
  /** Multiplier for men (code 1) and women (code 2). */
  sexFactor: [number, number];
  /** ICD-10 code used for hospital diagnoses (MS_CIM_V) and for ALD / death (IR_CIM_V). */
  icd: string;
  drugs: { atc: string; share: number }[];
  ald?: { num: number; share: number };
  /** Yearly probability of a stay for this condition, its GHM (first: up to 69, second: older or with CMA). */
  stay?: { rate: number; ghm: [string, string]; minAge?: number };
  /** Yearly specialist follow-up: specialty code and visits per year. */
  specialist?: { spe: number; perYear: number };
  /** Mortality multiplier. */
  mortality: number;
}

export const chronicConditions: ChronicCondition[] = [
  { key: 'diab', prevalence: [0.002, 0.01, 0.05, 0.13, 0.16], sexFactor: [1.2, 0.85], icd: 'E119', drugs: [{ atc: 'A10BA02', share: 0.9 }, { atc: 'A10AE04', share: 0.2 }], ald: { num: 8, share: 0.7 }, stay: { rate: 0.03, ghm: ['10M02V', '10M02W'] }, specialist: { spe: 42, perYear: 0.6 }, mortality: 1.4 },
  { key: 'hta', prevalence: [0.001, 0.03, 0.15, 0.38, 0.52], sexFactor: [1.05, 0.95], icd: 'I10', drugs: [{ atc: 'C09AA05', share: 0.55 }, { atc: 'C08CA01', share: 0.5 }], specialist: { spe: 3, perYear: 0.4 }, mortality: 1.1 },
  { key: 'chd', prevalence: [0, 0.002, 0.02, 0.07, 0.12], sexFactor: [1.6, 0.5], icd: 'I251', drugs: [{ atc: 'C10AA05', share: 0.8 }, { atc: 'B01AC06', share: 0.8 }, { atc: 'C07AB07', share: 0.6 }], ald: { num: 13, share: 0.6 }, specialist: { spe: 3, perYear: 1 }, mortality: 1.6 },
  { key: 'hf', prevalence: [0, 0.0005, 0.005, 0.03, 0.08], sexFactor: [1.2, 0.85], icd: 'I509', drugs: [{ atc: 'C03CA01', share: 0.85 }, { atc: 'C07AB07', share: 0.6 }], ald: { num: 5, share: 0.7 }, stay: { rate: 0.18, ghm: ['05M09V', '05M09W'] }, specialist: { spe: 3, perYear: 1.5 }, mortality: 3 },
  { key: 'resp', prevalence: [0.06, 0.05, 0.05, 0.07, 0.09], sexFactor: [1.1, 0.9], icd: 'J449', drugs: [{ atc: 'R03AC02', share: 0.9 }], ald: { num: 14, share: 0.05 }, stay: { rate: 0.03, ghm: ['04M08V', '04M08W'], minAge: 40 }, specialist: { spe: 13, perYear: 0.5 }, mortality: 1.5 },
  { key: 'depr', prevalence: [0.01, 0.05, 0.06, 0.06, 0.07], sexFactor: [0.6, 1.4], icd: 'F329', drugs: [{ atc: 'N06AB10', share: 0.8 }], ald: { num: 23, share: 0.15 }, specialist: { spe: 33, perYear: 2 }, mortality: 1.2 },
  { key: 'breast', prevalence: [0, 0.001, 0.012, 0.03, 0.04], sexFactor: [0, 2], icd: 'C509', drugs: [{ atc: 'L02BG04', share: 0.6 }], ald: { num: 30, share: 0.95 }, stay: { rate: 0.1, ghm: ['09C05V', '09C05V'] }, mortality: 2.5 },
  { key: 'prostate', prevalence: [0, 0, 0.01, 0.06, 0.1], sexFactor: [2, 0], icd: 'C61', drugs: [{ atc: 'L02AE02', share: 0.5 }], ald: { num: 30, share: 0.9 }, stay: { rate: 0.06, ghm: ['12C11Z', '12C11Z'] }, mortality: 2 },
  { key: 'dem', prevalence: [0, 0, 0.001, 0.02, 0.09], sexFactor: [0.8, 1.2], icd: 'G309', drugs: [], ald: { num: 15, share: 0.7 }, mortality: 3 },
  { key: 'thyro', prevalence: [0.002, 0.02, 0.05, 0.08, 0.1], sexFactor: [0.3, 1.7], icd: 'E039', drugs: [{ atc: 'H03AA01', share: 0.95 }], mortality: 1 },
];

export interface AcuteEvent {
  key: string;
  /** Yearly incidence by age band. */
  incidence: BandRates;
  sexFactor: [number, number];
  dp: string[];
  ghm: [string, string];
  /** Length of stay: min and max days. */
  los: [number, number];
  /** In-hospital death rate. */
  death?: { share: number; ghm: string; cause: string };
  ald?: { num: number; share: number; icd: string };
  /** Drugs started after discharge, with the share of patients and how long (months, 0 = to the end). */
  after?: { atc: string; share: number; months: number }[];
  minAge?: number;
}

export const acuteEvents: AcuteEvent[] = [
  {
    key: 'mi', incidence: [0, 0.0002, 0.0025, 0.006, 0.009], sexFactor: [1.6, 0.55], dp: ['I210', 'I211', 'I214', 'I219'], ghm: ['05M04V', '05K05V'], los: [3, 10],
    death: { share: 0.07, ghm: '05M02E', cause: 'I219' }, ald: { num: 13, share: 0.4, icd: 'I219' },
    after: [{ atc: 'C10AA05', share: 0.85, months: 0 }, { atc: 'B01AC06', share: 0.85, months: 0 }, { atc: 'B01AC04', share: 0.75, months: 12 }, { atc: 'C07AB07', share: 0.7, months: 0 }],
  },
  { key: 'stroke', incidence: [0, 0.0002, 0.0012, 0.005, 0.014], sexFactor: [1.2, 0.85], dp: ['I639'], ghm: ['01M14V', '01M14W'], los: [5, 20], death: { share: 0.1, ghm: '01M14W', cause: 'I639' }, ald: { num: 1, share: 0.5, icd: 'I639' }, after: [{ atc: 'B01AC06', share: 0.8, months: 0 }, { atc: 'C10AA05', share: 0.6, months: 0 }] },
  { key: 'pneumonia', incidence: [0.003, 0.001, 0.002, 0.006, 0.02], sexFactor: [1.1, 0.9], dp: ['J189'], ghm: ['04M05V', '04M05W'], los: [3, 12], death: { share: 0.05, ghm: '04M05W', cause: 'J189' }, after: [{ atc: 'J01CA04', share: 0.9, months: 1 }], minAge: 18 },
  { key: 'appendicitis', incidence: [0.0015, 0.001, 0.0005, 0.0003, 0.0002], sexFactor: [1, 1], dp: ['K358'], ghm: ['06C09V', '06C09W'], los: [2, 5] },
  { key: 'chestpain', incidence: [0, 0.002, 0.004, 0.005, 0.005], sexFactor: [1, 1], dp: ['R074'], ghm: ['05M13Z', '05M13Z'], los: [0, 2] },
];

/** Acute prescriptions after a general-practitioner visit. */
export const acuteDrugs: { atc: string; weight: number }[] = [
  { atc: 'N02BE01', weight: 0.5 }, { atc: 'J01CA04', weight: 0.25 }, { atc: 'M01AE01', weight: 0.12 }, { atc: 'A02BC01', weight: 0.13 },
];
export const acutePrescriptionShare = 0.55;

/** Causes of death outside the modelled events: ICD-10 (IR_CIM_V), weight, whether the death happens in hospital mostly. */
export const otherDeathCauses: { icd: string; weight: number; pmsi: string | null }[] = [
  { icd: 'C349', weight: 0.14, pmsi: 'C349' }, { icd: 'C189', weight: 0.07, pmsi: 'C189' }, { icd: 'I219', weight: 0.08, pmsi: 'I219' },
  { icd: 'I639', weight: 0.08, pmsi: 'I639' }, { icd: 'I509', weight: 0.09, pmsi: 'I509' }, { icd: 'J189', weight: 0.06, pmsi: 'J189' },
  { icd: 'F03', weight: 0.08, pmsi: 'F03' }, { icd: 'K746', weight: 0.03, pmsi: 'K746' }, { icd: 'R99', weight: 0.1, pmsi: null },
  { icd: 'W19', weight: 0.06, pmsi: null }, { icd: 'X59', weight: 0.04, pmsi: null },
];

/** General practitioner visits per year by age band, and the share of each nature of service. */
export const gpVisitsPerYear: BandRates = [2.6, 3.0, 3.6, 5.0, 6.5];
export const gpNatures = [{ nat: 1110, weight: 0.82 }, { nat: 1111, weight: 0.08 }, { nat: 1211, weight: 0.1 }];
export const gpSpecialties = [{ spe: 1, weight: 0.88 }, { spe: 22, weight: 0.08 }, { spe: 23, weight: 0.04 }];
/** Other specialists everyone sees now and then: specialty, visits per year, age range, sex (0 = both). */
export const routineSpecialists = [
  { spe: 15, perYear: 0.35, minAge: 0, maxAge: 120, sex: 0 },
  { spe: 5, perYear: 0.2, minAge: 10, maxAge: 120, sex: 0 },
  { spe: 7, perYear: 0.6, minAge: 16, maxAge: 75, sex: 2 },
  { spe: 12, perYear: 1.2, minAge: 0, maxAge: 15, sex: 0 },
];
/** Share of specialist visits in hospital outpatient clinics (they get an ER_ETE_F line). */
export const hospitalOutpatientShare = 0.25;

/** The codes the model writes, per table and field: each must be in the field's nomenclature. */
export function modelCodes(): { table: string; field: string; codes: (string | number)[] }[] {
  const chronicIcd = chronicConditions.map((c) => c.icd);
  const stays = [...chronicConditions.flatMap((c) => c.stay?.ghm ?? []), ...acuteEvents.flatMap((e) => [...e.ghm, ...(e.death ? [e.death.ghm] : [])]), '23Z02Z', '04M04Z'];
  const atc = [...chronicConditions.flatMap((c) => c.drugs.map((d) => d.atc)), ...acuteEvents.flatMap((e) => (e.after ?? []).map((a) => a.atc)), ...acuteDrugs.map((d) => d.atc)];
  const deaths = [...otherDeathCauses.map((c) => c.icd), ...acuteEvents.flatMap((e) => (e.death ? [e.death.cause] : [])), ...chronicIcd];
  return [
    { table: 'IR_BEN_R', field: 'BEN_SEX_COD', codes: [1, 2] },
    { table: 'IR_BEN_R', field: 'BEN_RNG_GEM', codes: [1, 2] },
    { table: 'IR_BEN_R', field: 'BEN_CDI_NIR', codes: ['00'] },
    { table: 'ER_PRS_F', field: 'PRS_NAT_REF', codes: [...gpNatures.map((g) => g.nat), 1112, 1114, 3311, 3313] },
    { table: 'ER_PRS_F', field: 'PSE_SPE_COD', codes: [0, ...gpSpecialties.map((g) => g.spe), ...routineSpecialists.map((s) => s.spe), ...chronicConditions.flatMap((c) => (c.specialist ? [c.specialist.spe] : []))] },
    { table: 'ER_PRS_F', field: 'FLX_EMT_TYP', codes: [1] },
    { table: 'ER_PRS_F', field: 'DPN_QLF', codes: [0] },
    { table: 'ER_PRS_F', field: 'CPL_AFF_COD', codes: [0] },
    { table: 'ER_PRS_F', field: 'EXO_MTF', codes: [0, 41] },
    { table: 'ER_ETE_F', field: 'ETE_CAT_COD', codes: [101, 355] },
    { table: 'ER_ETE_F', field: 'ETE_TYP_COD', codes: [1] },
    { table: 'ER_ETE_F', field: 'ETE_IND_TAA', codes: [1] },
    { table: 'T_MCOaaB', field: 'DGN_PAL', codes: [...acuteEvents.flatMap((e) => e.dp), ...chronicIcd.filter((c) => c !== 'I10'), ...otherDeathCauses.flatMap((c) => (c.pmsi ? [c.pmsi] : []))] },
    { table: 'T_MCOaaB', field: 'GRG_GHM', codes: stays },
    { table: 'T_MCOaaB', field: 'ENT_MOD', codes: ['8'] },
    { table: 'T_MCOaaB', field: 'SOR_MOD', codes: ['7', '8', '9'] },
    { table: 'T_MCOaaD', field: 'ASS_DGN', codes: chronicIcd },
    { table: 'IR_IMB_R', field: 'IMB_ALD_NUM', codes: [...chronicConditions.flatMap((c) => (c.ald ? [c.ald.num] : [])), ...acuteEvents.flatMap((e) => (e.ald ? [e.ald.num] : []))] },
    { table: 'IR_IMB_R', field: 'IMB_ETM_NAT', codes: [41] },
    { table: 'IR_IMB_R', field: 'MED_MTF_COD', codes: [...chronicIcd, ...acuteEvents.flatMap((e) => (e.ald ? [e.ald.icd] : []))] },
    { table: 'KI_CCI_R', field: 'DCD_CIM_COD', codes: deaths },
    { table: 'KI_CCI_R', field: 'DCD_LIE_COD', codes: [1, 2, 3, 4] },
    { table: 'KI_ECD_R', field: 'ECD_CIM_COD', codes: deaths },
    { table: 'IR_PHA_R', field: 'PHA_ATC_C07', codes: atc },
  ];
}

/** Checks every code of the model against the nomenclatures; the error names the table and field. */
export function checkCareModel(catalogue: FrictionlessCatalogue): void {
  for (const { table, field, codes } of modelCodes()) {
    const allowed = new Set(catalogue.codesFor(table, field));
    const missing = [...new Set(codes.map(String))].filter((c) => !allowed.has(c));
    if (missing.length) throw new HdhError('synthetic.code_not_in_nomenclature', 400, { table, field, codes: missing.join(', ') });
  }
}
