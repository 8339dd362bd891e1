/**
 * SQL that draws one chunk of synthetic people and their care (DuckDB). Randomness is a hash of
 * (seed, person, purpose…): a person's history depends only on the seed and their number, never
 * on the chunk or the thread, so runs are reproducible and chunks can run in parallel.
 */
import { acuteDrugs, acuteEvents, acutePrescriptionShare, agePyramid, birthRate, chronicConditions, gpNatures, gpSpecialties, gpVisitsPerYear, hospitalOutpatientShare, otherDeathCauses, routineSpecialists, twinShare, type BandRates } from './care-model.js';

export interface ChunkParams {
  seed: number;
  fromYear: number;
  toYear: number;
  lo: number;
  hi: number;
}

const lit = (v: string | number) => (typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`);
const band = (r: BandRates, age = 'age0') => `(CASE WHEN ${age} < 20 THEN ${r[0]} WHEN ${age} < 40 THEN ${r[1]} WHEN ${age} < 60 THEN ${r[2]} WHEN ${age} < 75 THEN ${r[3]} ELSE ${r[4]} END)`;
const sexF = (f: [number, number]) => `(CASE WHEN sex = 1 THEN ${f[0]} ELSE ${f[1]} END)`;

/** Weighted pick from a uniform draw `u`: CASE WHEN u < c1 THEN v1 … END. */
function weighted<T extends string | number>(u: string, items: { value: T; weight: number }[]): string {
  if (items.length === 1) return lit(items[0]!.value);
  const total = items.reduce((s, i) => s + i.weight, 0);
  let acc = 0;
  const arms = items.slice(0, -1).map((i) => {
    acc += i.weight / total;
    return `WHEN ${u} < ${acc.toFixed(6)} THEN ${lit(i.value)}`;
  });
  return `(CASE ${arms.join(' ')} ELSE ${lit(items[items.length - 1]!.value)} END)`;
}

export function chunkSql(p: ChunkParams): { setup: string[] } {
  const S = p.seed;
  const D0 = `DATE '${p.fromYear}-01-01'`;
  const D1 = `DATE '${p.toYear}-12-31'`;
  const ny = p.toYear - p.fromYear + 1;
  const ndays = `date_diff('day', ${D0}, ${D1})`;
  // 53 random bits as a double in [0, 1). DuckDB's multi-argument hash mixes its high bits poorly
  // (they follow the first arguments), so the combined hash is hashed again. Shifts keep the
  // arithmetic in 64-bit integers (a UBIGINT modulo a signed integer widens to HUGEINT, slower).
  const U = (salt: string, ...k: string[]) => `(CAST(hash(hash(${S}, ${k.join(', ')}, '${salt}')) >> 11 AS DOUBLE) / CAST(9007199254740992 AS DOUBLE))`;
  const H = (salt: string, ...k: string[]) => `CAST(hash(hash(${S}, ${k.join(', ')}, '${salt}')) >> 1 AS BIGINT)`;

  // Age bands: people born during the period first, then the pyramid.
  const births = Math.min(0.5, birthRate * ny);
  const total = agePyramid.reduce((s, w) => s + w, 0);
  let acc = births;
  const ageArms = agePyramid.map((w, i) => {
    acc += ((1 - births) * w) / total;
    return `WHEN ua < ${acc.toFixed(6)} THEN ${i * 5}`;
  });
  const flags = chronicConditions.map((c) => `(${U(`c_${c.key}`, 'pid')} < least(0.95, ${band(c.prevalence)} * ${sexF(c.sexFactor)})) AS c_${c.key}`);
  const alds = chronicConditions.filter((c) => c.ald).map((c) => `(c_${c.key} AND ${U(`ald_${c.key}`, 'pid')} < ${c.ald!.share}) AS ald_${c.key}`);
  const onsets = chronicConditions.map((c) => `greatest(birth + 30, ${D0} - CAST(floor(${U(`on_${c.key}`, 'pid')} * 8 * 365) AS INTEGER)) AS on_${c.key}`);
  const mortality = chronicConditions.map((c) => `(CASE WHEN c_${c.key} THEN ${c.mortality} ELSE 1 END)`).join(' * ');
  const nChronic = chronicConditions.map((c) => `CAST(c_${c.key} AS INTEGER)`).join(' + ');
  const causeFromChronic = `CASE ${chronicConditions.filter((c) => c.mortality >= 2).map((c) => `WHEN c_${c.key} AND ${U(`dc_${c.key}`, 'pid')} < 0.5 THEN '${c.icd}'`).join(' ')} ELSE ${weighted(U('dcause', 'pid'), otherDeathCauses.map((c) => ({ value: c.icd, weight: c.weight })))} END`;

  const persons = `
CREATE OR REPLACE TEMP TABLE p0 AS
WITH a AS (
  SELECT pid, (pid % 2 = 1 AND ${U('twin', 'pid')} < ${2 * twinShare}) AS twin FROM range(${p.lo}, ${p.hi}) t(pid)
), b AS (
  SELECT pid, CASE WHEN twin THEN pid - 1 ELSE pid END AS aid, CASE WHEN twin THEN 2 ELSE 1 END AS rng FROM a
), c AS (
  SELECT pid, aid, rng, ${U('age', 'aid')} AS ua, ${U('aged', 'aid')} AS uad, ${U('sex', 'aid')} AS us FROM b
), d AS (
  SELECT *, CASE WHEN ua < ${births.toFixed(6)} THEN ${D0} + CAST(floor(uad * ${ndays}) AS INTEGER)
                 ELSE ${D0} - CAST(floor(((CASE ${ageArms.join(' ')} ELSE 95 END) + uad * 5) * 365.25) AS INTEGER) - 1 END AS birth
  FROM c
), e AS (
  SELECT *, greatest(0, floor(date_diff('day', birth, ${D0}) / 365.25))::INTEGER AS age0 FROM d
), f AS (
  SELECT *, CASE WHEN us < (CASE WHEN age0 < 60 THEN 0.51 WHEN age0 < 80 THEN 0.47 ELSE 0.38 END) THEN 1 ELSE 2 END AS sex,
    dpts[1 + (${H('dpt', 'aid')} % len(dpts))::BIGINT] AS dpt,
    emts[1 + (${H('emt', 'aid')} % len(emts))::BIGINT] AS emt,
    upper(substr(sha256('${S}:ass:' || aid), 1, 17)) AS ass
  FROM e, (SELECT list(code ORDER BY code) AS dpts FROM code_dpt), (SELECT list(code ORDER BY code) AS emts FROM code_emt)
)
SELECT pid, aid, rng, birth, age0, sex, dpt, emt, ass,
  upper(substr(sha256('${S}:psa:' || ass || ':' || birth || ':' || sex), 1, 17)) AS psa,
  upper(substr(sha256('${S}:nir:' || pid), 1, 17)) AS nir_ano,
  ${U('idt', 'pid')} >= 0.02 AS idt_top,
  ${flags.join(',\n  ')}
FROM f`;

  const persons1 = `
CREATE OR REPLACE TEMP TABLE p1 AS
SELECT *, ${alds.join(', ')}, ${onsets.join(', ')},
  (${nChronic}) AS n_chronic,
  CASE WHEN ${U('death', 'pid')} < 1 - pow(1 - least(0.5, (0.0003 + exp(-10.9 + 0.094 * age0)) * ${mortality}), ${ny})
       THEN greatest(birth + 1, ${D0} + CAST(floor(${U('dday', 'pid')} * ${ndays}) AS INTEGER)) END AS nat_death
FROM p0`;

  // Acute events over the whole period (at most one of each kind per person).
  const events = acuteEvents.map((ev) => `
  SELECT pid, '${ev.key}' AS kind, adm, los, dies, ${weighted(U(`edp_${ev.key}`, 'pid'), ev.dp.map((d) => ({ value: d, weight: 1 })))} AS dp,
    CASE WHEN dies THEN '${ev.death?.ghm ?? ev.ghm[1]}' WHEN age0 >= 70 OR ${U(`eg_${ev.key}`, 'pid')} < 0.3 THEN '${ev.ghm[1]}' ELSE '${ev.ghm[0]}' END AS ghm,
    CASE WHEN dies THEN '9' ELSE '8' END AS sor_mod, ${ev.key === 'mi' ? 2 : 1} AS nbr_rum
  FROM (SELECT *, ${D0} + CAST(floor(${U(`ed_${ev.key}`, 'pid')} * (${ndays} - ${ev.los[1]})) AS INTEGER) AS adm,
          ${ev.los[0]} + CAST(floor(${U(`el_${ev.key}`, 'pid')} * ${ev.los[1] - ev.los[0] + 1}) AS INTEGER) AS los,
          ${ev.death ? `${U(`edie_${ev.key}`, 'pid')} < ${ev.death.share}` : 'false'} AS dies
        FROM p1 WHERE age0 >= ${ev.minAge ?? 0} AND ${U(`e_${ev.key}`, 'pid')} < least(0.9, ${band(ev.incidence)} * ${sexF(ev.sexFactor)} * ${ny}))
  WHERE adm > birth AND (nat_death IS NULL OR adm < nat_death)`);
  const acute = `CREATE OR REPLACE TEMP TABLE ev AS ${events.join('\nUNION ALL')}`;

  const persons2 = `
CREATE OR REPLACE TEMP TABLE p AS
SELECT p1.*, CASE WHEN ed.death IS NOT NULL AND (nat_death IS NULL OR ed.death <= nat_death) THEN ed.death ELSE nat_death END AS death,
  CASE WHEN ed.death IS NOT NULL AND (nat_death IS NULL OR ed.death <= nat_death) THEN ed.cause ELSE ${causeFromChronic} END AS cause,
  (ed.death IS NOT NULL AND (nat_death IS NULL OR ed.death <= nat_death)) AS event_death
FROM p1 LEFT JOIN (
  SELECT pid, min(adm + los) AS death, arg_min(CASE kind ${acuteEvents.filter((e) => e.death).map((e) => `WHEN '${e.key}' THEN '${e.death!.cause}'`).join(' ')} END, adm + los) AS cause
  FROM ev WHERE dies GROUP BY pid) ed USING (pid)`;

  // Hospital stays: acute events, chronic flare-ups, terminal stays of deaths in hospital.
  const chronicStays = chronicConditions.filter((c) => c.stay).map((c) => `
  SELECT pid, 'c_${c.key}' AS kind, ${D0} + CAST(y * 365 + floor(${U(`csd_${c.key}`, 'pid', 'y')} * 360) AS INTEGER) AS adm,
    2 + CAST(floor(${U(`csl_${c.key}`, 'pid', 'y')} * 6) AS INTEGER) AS los, false AS dies,
    '${c.icd}' AS dp, CASE WHEN age0 >= 70 THEN '${c.stay!.ghm[1]}' ELSE '${c.stay!.ghm[0]}' END AS ghm, '8' AS sor_mod, 1 AS nbr_rum
  FROM p, range(0, ${ny}) t(y) WHERE c_${c.key} AND age0 >= ${c.stay!.minAge ?? 0} AND ${U(`cs_${c.key}`, 'pid', 'y')} < ${c.stay!.rate}`);
  const pmsiCause = `CASE cause ${otherDeathCauses.filter((c) => c.pmsi).map((c) => `WHEN '${c.icd}' THEN '${c.pmsi}'`).join(' ')} ${chronicConditions.filter((c) => c.mortality >= 2).map((c) => `WHEN '${c.icd}' THEN '${c.icd}'`).join(' ')} END`;
  const stays = `
CREATE OR REPLACE TEMP TABLE s AS
WITH all_stays AS (
  SELECT pid, kind, adm, los, dies, dp, ghm, sor_mod, nbr_rum FROM ev
  UNION ALL ${chronicStays.join('\nUNION ALL')}
  UNION ALL
  SELECT pid, 'terminal', death - los, los, true, ${pmsiCause}, '23Z02Z', '9', 1
  FROM (SELECT *, 1 + CAST(floor(${U('tl', 'pid')} * 12) AS INTEGER) AS los FROM p)
  WHERE death IS NOT NULL AND NOT event_death AND ${pmsiCause} IS NOT NULL AND ${U('dhosp', 'pid')} < 0.6 AND death - los > birth AND death - los >= ${D0}
), kept AS (
  SELECT a.*, a.adm + a.los AS sor FROM all_stays a JOIN p USING (pid)
  WHERE a.adm >= ${D0} AND a.adm > p.birth AND a.adm + a.los <= ${D1} AND (p.death IS NULL OR a.adm + a.los < p.death OR (a.dies AND a.adm + a.los = p.death))
)
SELECT k.*, row_number() OVER (PARTITION BY k.pid ORDER BY k.adm, k.kind) AS seq,
  fin.codes[1 + (${H('eta', 'k.pid', 'k.adm')} % len(fin.codes))::BIGINT] AS eta
FROM kept k JOIN p USING (pid) JOIN code_finess fin ON fin.dpt = p.dpt`;

  const das = `
CREATE OR REPLACE TEMP TABLE sd AS
SELECT pid, seq, code, row_number() OVER (PARTITION BY pid, seq ORDER BY code) AS num FROM (
${chronicConditions.map((c) => `  SELECT s.pid, s.seq, '${c.icd}' AS code FROM s JOIN p USING (pid) WHERE p.c_${c.key} AND s.dp <> '${c.icd}' AND ${U(`das_${c.key}`, 's.pid', 's.seq')} < 0.7`).join('\nUNION ALL\n')})`;

  // Care in town (DCIR): GP and specialist visits, chronic and acute dispensations.
  const gpLambda = `(${band(gpVisitsPerYear)} + 0.6 * n_chronic)`;
  const specialistArms = [
    ...routineSpecialists.map((r) => ({ spe: r.spe, rate: String(r.perYear), cond: `age0 BETWEEN ${r.minAge} AND ${r.maxAge}${r.sex ? ` AND sex = ${r.sex}` : ''}` })),
    ...chronicConditions.filter((c) => c.specialist).map((c) => ({ spe: c.specialist!.spe, rate: String(c.specialist!.perYear), cond: `c_${c.key}` })),
    { spe: 3, rate: '2', cond: `pid IN (SELECT pid FROM ev WHERE kind = 'mi')` },
  ];
  const rxPlan = [
    ...chronicConditions.flatMap((c) => c.drugs.map((d) => `SELECT pid, '${d.atc}' AS atc, greatest(${D0}, on_${c.key}) AS start, coalesce(death, ${D1} + 1) AS stop, ${c.ald ? `ald_${c.key}` : 'false'} AS ald FROM p WHERE c_${c.key} AND ${U(`rx_${c.key}_${d.atc}`, 'pid')} < ${d.share}`)),
    ...acuteEvents.flatMap((e) => (e.after ?? []).map((a) => `SELECT ev.pid, '${a.atc}', ev.adm + ev.los + 1 + CAST(${H(`ra_${e.key}`, 'ev.pid')} % 7 AS INTEGER), ${a.months ? `least(coalesce(p.death, ${D1} + 1), ev.adm + ev.los + ${a.months * 30})` : `coalesce(p.death, ${D1} + 1)`}, false FROM ev JOIN p USING (pid) WHERE ev.kind = '${e.key}' AND NOT ev.dies AND ${U(`rxa_${e.key}_${a.atc}`, 'ev.pid')} < ${a.share}`)),
  ];
  // Care sheet number inside a person's 1000 (DCT_ORD_NUM): [0,80) GP visits, [80,480) specialist
  // visits, [480,560) prescriptions after a GP visit, [600,1000) chronic dispensations by day
  // (two days 400 days apart have different flux dates, so the 9 DCIR keys stay unique).
  const atcList = [...new Set([...chronicConditions.flatMap((c) => c.drugs.map((d) => d.atc)), ...acuteEvents.flatMap((e) => (e.after ?? []).map((a) => a.atc))])].sort();
  const visits = `
CREATE OR REPLACE TEMP TABLE v AS
WITH gp AS (
  SELECT pid, ${D0} + CAST(y * 365 + floor(${U('gpd', 'pid', 'y', 'i')} * 365) AS INTEGER) AS dte, 'C' AS kind,
    ${weighted(U('gpn', 'pid', 'y', 'i'), gpNatures.map((g) => ({ value: g.nat, weight: g.weight })))} AS nat,
    ${weighted(U('gps', 'pid', 'y', 'i'), gpSpecialties.map((g) => ({ value: g.spe, weight: g.weight })))} AS spe,
    CAST(NULL AS INTEGER) AS psp, CAST(NULL AS VARCHAR) AS atc, 1 AS qty, 25.0 AS base, false AS hosp, false AS ald, CAST(y * 16 + i AS INTEGER) AS sheet, 1 AS line
  FROM (SELECT pid, ${gpLambda} / 16 AS rate FROM p) q, range(0, ${ny}) ty(y), range(0, 16) ti(i) WHERE ${U('gp', 'pid', 'y', 'i')} < rate
), sp AS (
${specialistArms.map((a, k) => `  SELECT pid, ${D0} + CAST(y * 365 + floor(${U(`spd${k}`, 'pid', 'y', 'i')} * 365) AS INTEGER) AS dte, 'C' AS kind,
    ${a.spe === 3 ? `CASE WHEN ${U(`spn${k}`, 'pid', 'y', 'i')} < 0.3 THEN 1114 ELSE 1112 END` : '1112'} AS nat, ${a.spe} AS spe, CAST(NULL AS INTEGER) AS psp, CAST(NULL AS VARCHAR) AS atc, 1 AS qty,
    30.0 AS base, ${U(`sph${k}`, 'pid', 'y', 'i')} < ${hospitalOutpatientShare} AS hosp, false AS ald, CAST(${80 + k * 20} + y * 4 + i AS INTEGER) AS sheet, 1 AS line
  FROM (SELECT pid FROM p WHERE ${a.cond}) q, range(0, ${ny}) ty(y), range(0, 4) ti(i) WHERE ${U(`sp${k}`, 'pid', 'y', 'i')} < ${a.rate} / 4`).join('\n  UNION ALL\n')}
), plan AS (
  SELECT pid, atc, min(start) AS start, max(stop) AS stop, bool_or(ald) AS ald FROM (
${rxPlan.join('\n  UNION ALL\n')}
  ) GROUP BY pid, atc
), chronic_rx AS (
  SELECT pid, dte, 'P' AS kind, CASE WHEN ald THEN 3311 ELSE 3313 END AS nat, 0 AS spe, CASE WHEN atc LIKE 'L02%' THEN 0 ELSE 1 END AS psp, atc, 1 AS qty, 0.0 AS base,
    false AS hosp, ald, CAST(600 + date_diff('day', ${D0}, dte) % 400 AS INTEGER) AS sheet, list_position(${`[${atcList.map((a) => `'${a}'`).join(', ')}]`}, atc) AS line
  FROM (SELECT *, start + CAST(m * 30 + ${H('rxd', 'pid', 'atc')} % 3 AS INTEGER) AS dte FROM plan, range(0, ${12 * ny + 1}) tm(m)
        WHERE start + CAST(m * 30 AS INTEGER) < stop AND ${U('adh', 'pid', 'atc', 'm')} < 0.9)
  WHERE dte < stop
), acute_rx AS (
  SELECT pid, dte, 'P' AS kind, 3313 AS nat, 0 AS spe, 1 AS psp,
    ${weighted(U('ard', 'pid', 'sheet'), acuteDrugs.map((d) => ({ value: d.atc, weight: d.weight })))} AS atc,
    1 + CAST(${U('arq', 'pid', 'sheet')} < 0.2 AS INTEGER) AS qty, 0.0 AS base, false AS hosp, false AS ald, 480 + sheet AS sheet, 1 AS line
  FROM gp WHERE ${U('arx', 'pid', 'sheet')} < ${acutePrescriptionShare}
), all_v AS (
  SELECT * FROM gp UNION ALL SELECT * FROM sp UNION ALL SELECT * FROM chronic_rx UNION ALL SELECT * FROM acute_rx
), kept AS (
  SELECT v.*, CASE WHEN v.atc IS NULL THEN NULL ELSE cips.cips[1 + (${H('cip', 'v.pid', 'v.atc')} % len(cips.cips))::BIGINT] END AS cip,
    1 + CAST(${H('lag', 'v.pid', 'v.sheet', 'v.dte')} % (CASE v.kind WHEN 'P' THEN 6 ELSE 25 END) AS INTEGER) AS lag
  FROM all_v v JOIN p USING (pid) LEFT JOIN code_cip cips ON cips.atc = v.atc
  WHERE v.dte >= ${D0} AND v.dte <= ${D1} AND v.dte >= p.birth AND (p.death IS NULL OR v.dte < p.death)
)
SELECT *, CASE WHEN kind = 'P' THEN 2 + (${H('price', 'cip')} % 3800) / 100.0 ELSE base END AS unit_price,
  dte + lag AS flx_trt, CAST(date_trunc('month', dte + lag) + INTERVAL 1 MONTH AS DATE) AS flx_dis
FROM kept ORDER BY pid, sheet, line`;

  const imb = `
CREATE OR REPLACE TEMP TABLE imb AS
SELECT a.pid, a.num, min(a.dtd) AS dtd, arg_min(a.icd, a.dtd) AS icd FROM (
${chronicConditions.filter((c) => c.ald).map((c) => `  SELECT pid, ${c.ald!.num} AS num, on_${c.key} AS dtd, '${c.icd}' AS icd FROM p WHERE ald_${c.key}`).join('\n  UNION ALL\n')}
  UNION ALL
${acuteEvents.filter((e) => e.ald).map((e) => `  SELECT pid, ${e.ald!.num}, adm + los + 15 + CAST(${H(`ie_${e.key}`, 'pid')} % 45 AS INTEGER), '${e.ald!.icd}' FROM ev WHERE kind = '${e.key}' AND NOT dies AND ${U(`imb_${e.key}`, 'pid')} < ${e.ald!.share}`).join('\n  UNION ALL\n')}
) a JOIN p USING (pid)
WHERE a.dtd <= ${D1} AND (p.death IS NULL OR a.dtd < p.death)
GROUP BY a.pid, a.num`;

  return { setup: [persons, persons1, acute, persons2, stays, das, visits, imb] };
}
