/**
 * The SNDS core tables a synthetic release holds, each as a projection of the chunk's working
 * tables (p people, ev/s stays, sd associated diagnoses, v2 DCIR lines) onto the columns of its
 * Frictionless schema. A schema column the generator has no rule for is a located error.
 */
import { HdhError } from '../platform/errors.js';
import './messages.js';
import type { TableSchema } from './frictionless.js';
import type { ChunkParams } from './snds-sql.js';
import { duckType } from '../platform/engine/table-schema-types.js';

export { duckType };

export interface OutputTable {
  /** Name in the release (T_MCO19B…). */
  name: string;
  /** Schema it follows (T_MCOaaB…). */
  schema: string;
  from: string;
  /** null: the source is already in order (v is sorted once and read in order by one thread). */
  orderBy: string | null;
  exprs: Record<string, string>;
}

export function projection(schema: TableSchema, exprs: Record<string, string>): string {
  return schema.fields
    .map((f) => {
      const e = exprs[f.name];
      if (e === undefined) throw new HdhError('synthetic.field_unsupported', 400, { table: schema.name, field: f.name });
      // A date the SNDS stores as text (BEN_NAI_MOI '%m', ENT_DAT '%d%m%Y'…) is written in its format.
      const value = f.type === 'date' && f.format && f.format !== 'default' ? `strftime(${e}, '${f.format}')` : e;
      return `CAST(${value} AS ${duckType(f)}) AS "${f.name}"`;
    })
    .join(',\n  ');
}

export const yearTable = (template: string, year: number) => template.replace('aa', String(year % 100).padStart(2, '0'));

export function coreTables(p: ChunkParams): OutputTable[] {
  const S = p.seed;
  const D0 = `DATE '${p.fromYear}-01-01'`;
  const D1 = `DATE '${p.toYear}-12-31'`;
  // 53 random bits as a double in [0, 1). DuckDB's multi-argument hash mixes its high bits poorly
  // (they follow the first arguments), so the combined hash is hashed again. Shifts keep the
  // arithmetic in 64-bit integers (a UBIGINT modulo a signed integer widens to HUGEINT, slower).
  const U = (salt: string, ...k: string[]) => `(CAST(hash(hash(${S}, ${k.join(', ')}, '${salt}')) >> 11 AS DOUBLE) / CAST(9007199254740992 AS DOUBLE))`;
  const idt = `CASE WHEN idt_top THEN nir_ano ELSE psa || rng END`;
  const keys = {
    DCT_ORD_NUM: '(pid % 1000000) * 1000 + sheet',
    FLX_DIS_DTD: 'flx_dis',
    FLX_EMT_NUM: 'emt',
    FLX_EMT_ORD: 'pid // 1000000',
    FLX_EMT_TYP: '1',
    FLX_TRT_DTD: 'flx_trt',
    ORG_CLE_NUM: 'org',
    PRS_ORD_NUM: 'line',
    REM_TYP_AFF: '1',
  };
  const dcir = `v JOIN p USING (pid) JOIN code_org o ON o.dpt = p.dpt`;
  const tables: OutputTable[] = [
    {
      name: 'IR_BEN_R', schema: 'IR_BEN_R', from: 'p', orderBy: 'pid',
      exprs: {
        BEN_NIR_PSA: 'psa', BEN_RNG_GEM: 'rng', BEN_NIR_ANO: 'CASE WHEN idt_top THEN nir_ano END', BEN_IDT_ANO: idt, BEN_IDT_TOP: 'idt_top',
        ASS_NIR_ANO: 'ass', BEN_CDI_NIR: `'00'`, BEN_NAI_ANN: `strftime(birth, '%Y')`, BEN_NAI_MOI: 'birth', BEN_SEX_COD: 'sex',
        BEN_DCD_DTE: 'death', BEN_DCD_AME: `strftime(death, '%Y%m')`, BEN_RES_DPT: 'dpt',
        BEN_DTE_INS: `CASE WHEN birth >= ${D0} THEN birth ELSE greatest(birth, ${D0} - CAST(hash(${S}, pid, 'ins') % 3650 AS INTEGER)) END`, BEN_DTE_MAJ: D1,
      },
    },
    {
      name: 'ER_PRS_F', schema: 'ER_PRS_F', from: dcir, orderBy: null,
      exprs: {
        ...keys, BEN_NIR_PSA: 'psa', BEN_RNG_GEM: 'rng', BEN_SEX_COD: 'sex', BEN_NAI_ANN: `strftime(birth, '%Y')`, BEN_RES_DPT: 'p.dpt',
        EXE_SOI_DTD: 'dte', EXE_SOI_DTF: 'dte', PRS_NAT_REF: 'nat', PRS_ACT_QTE: 'qty', PRS_ACT_CFT: '1', PSE_SPE_COD: 'spe', PSP_SPE_COD: 'psp',
        PRS_PAI_MNT: `round(unit_price * qty + CASE WHEN nat = 1112 AND ${U('dep', 'pid', 'sheet')} < 0.3 THEN 20 ELSE 0 END, 2)`,
        BSE_REM_BSE: 'round(unit_price * qty, 2)',
        BSE_REM_MNT: `round(CASE WHEN kind = 'P' THEN unit_price * qty * (CASE WHEN ald THEN 1 ELSE 0.65 END) ELSE unit_price * 0.7 - 1 END, 2)`,
        DPN_QLF: '0', PRS_DPN_QLP: '0', CPL_MAJ_TOP: '0', CPL_AFF_COD: '0', EXO_MTF: 'CASE WHEN ald THEN 41 ELSE 0 END',
      },
    },
    {
      name: 'ER_PHA_F', schema: 'ER_PHA_F', from: `${dcir} JOIN code_pha ph ON ph.cip = v.cip`, orderBy: null,
      exprs: { ...keys, PHA_PRS_C13: 'v.cip', PHA_PRS_IDE: 'ph.cip7', PHA_ACT_QSN: 'qty', PHA_ACT_PRU: 'unit_price', PHA_ORD_NUM: '1' },
    },
    {
      name: 'ER_ETE_F', schema: 'ER_ETE_F', from: `${dcir} WHERE hosp`, orderBy: null,
      exprs: { ...keys, ETE_CAT_COD: `CASE WHEN ${U('cat', 'pid', 'sheet')} < 0.3 THEN 101 ELSE 355 END`, ETE_TYP_COD: '1', ETE_IND_TAA: '1' },
    },
    {
      name: 'KI_CCI_R', schema: 'KI_CCI_R', from: `p WHERE death IS NOT NULL`, orderBy: 'pid',
      exprs: {
        BEN_IDT_ANO: idt, BEN_IDT_TOP: 'CAST(idt_top AS INTEGER)', BEN_NIR_ANO: 'CASE WHEN idt_top THEN nir_ano END', FLX_PER_ANN: `strftime(death, '%Y')`,
        BEN_DCD_DTE: 'death', BEN_DCD_AME: `strftime(death, '%Y%m')`, BEN_NAI_ANN: `strftime(birth, '%Y')`, BEN_SEX_COD: 'sex', BEN_RES_DPT: 'dpt', DCD_DPT_COD: 'dpt',
        DCD_LIE_COD: `CASE WHEN pid IN (SELECT pid FROM s WHERE dies) THEN (CASE WHEN ${U('lie', 'pid')} < 0.7 THEN 2 ELSE 3 END) WHEN age0 >= 80 AND ${U('ehpad', 'pid')} < 0.4 THEN 4 ELSE 1 END`,
        DCD_CIM_COD: 'cause',
      },
    },
    {
      name: 'KI_ECD_R', schema: 'KI_ECD_R',
      from: `(SELECT pid, cause AS code, 1 AS rnk FROM p WHERE death IS NOT NULL
         UNION ALL SELECT pid, code, 1 + row_number() OVER (PARTITION BY pid ORDER BY code) FROM (
           SELECT DISTINCT p.pid, sd.code FROM p JOIN sd USING (pid) WHERE p.death IS NOT NULL AND sd.code <> p.cause AND ${U('ecd', 'p.pid', 'sd.code')} < 0.6)) l JOIN p USING (pid)`,
      orderBy: 'pid, rnk',
      exprs: {
        BEN_IDT_ANO: idt, BEN_IDT_TOP: 'CAST(idt_top AS INTEGER)', BEN_NIR_ANO: 'CASE WHEN idt_top THEN nir_ano END', FLX_PER_ANN: `strftime(death, '%Y')`,
        CER_LIG_NUM: 'CASE WHEN rnk = 1 THEN 1 ELSE 2 END', ECD_CAU_RNG: 'rnk', ECD_CIM_COD: 'code', BEN_DCD_DTE: 'death', BEN_DCD_AME: `strftime(death, '%Y%m')`,
      },
    },
    {
      name: 'IR_IMB_R', schema: 'IR_IMB_R', from: 'imb JOIN p USING (pid)', orderBy: 'pid, num',
      exprs: {
        BEN_NIR_PSA: 'psa', BEN_RNG_GEM: 'rng', IMB_ALD_NUM: 'num', IMB_ALD_DTD: 'dtd', IMB_ALD_DTF: 'dtd + INTERVAL 10 YEAR - INTERVAL 1 DAY',
        IMB_ETM_NAT: '41', MED_MTF_COD: 'icd', INS_DTE: 'dtd', UPD_DTE: 'dtd',
      },
    },
  ];
  for (let y = p.fromYear; y <= p.toYear; y++) {
    const stays = `s JOIN p USING (pid) WHERE year(s.sor) = ${y}`;
    const eta = { ETA_NUM: 'eta', RSA_NUM: `lpad(CAST(pid * 100 + seq AS VARCHAR), 10, '0')` };
    const ret = (salt: string) => `CASE WHEN ${U(salt, 'pid', 'seq')} < 0.004 THEN '1' ELSE '0' END`;
    tables.push(
      {
        name: yearTable('T_MCOaaB', y), schema: 'T_MCOaaB',
        from: `${stays.replace('WHERE', 'LEFT JOIN (SELECT pid, seq, count(*) AS nd FROM sd GROUP BY ALL) n USING (pid, seq) WHERE')}`, orderBy: 'pid, seq',
        exprs: {
          ...eta, DGN_PAL: 'dp', DGN_REL: 'NULL', GRG_GHM: 'ghm', SEJ_TYP: 'NULL', SEJ_NBJ: 'los', SOR_ANN: `strftime(sor, '%Y')`, SOR_MOI: `strftime(sor, '%m')`,
          ENT_MOD: `'8'`, SOR_MOD: 'sor_mod', AGE_ANN: `floor(date_diff('day', birth, adm) / 365.25)`, COD_SEX: 'CAST(sex AS VARCHAR)', NBR_DGN: '1 + coalesce(nd, 0)', NBR_RUM: 'nbr_rum', TYP_GEN_RSA: '0',
        },
      },
      {
        name: yearTable('T_MCOaaC', y), schema: 'T_MCOaaC', from: stays, orderBy: 'pid, seq',
        exprs: {
          ...eta, NIR_ANO_17: 'psa', NIR_RET: `CASE WHEN ${U('nir_ret', 'pid', 'seq')} < 0.01 THEN '1' ELSE '0' END`, NAI_RET: ret('nai'), SEX_RET: ret('sexr'), SEJ_RET: ret('sej'),
          FHO_RET: ret('fho'), PMS_RET: ret('pms'), DAT_RET: ret('dat'), COH_NAI_RET: `'0'`, COH_SEX_RET: `'0'`, ENT_DAT: 'adm', SOR_DAT: 'sor', EXE_SOI_DTD: 'adm', EXE_SOI_DTF: 'sor',
          SOR_ANN: `strftime(sor, '%Y')`, SOR_MOI: `strftime(sor, '%m')`,
        },
      },
      {
        name: yearTable('T_MCOaaD', y), schema: 'T_MCOaaD', from: `sd JOIN s USING (pid, seq) WHERE year(s.sor) = ${y}`, orderBy: 'pid, seq, num',
        exprs: { ...eta, ASS_DGN: 'code', DGN_ASS_NUM: 'num' },
      },
      {
        name: yearTable('T_MCOaaUM', y), schema: 'T_MCOaaUM', from: `(SELECT *, unnest(range(1, nbr_rum + 1)) AS um FROM s WHERE year(sor) = ${y})`, orderBy: 'pid, seq, um',
        exprs: { ...eta, UM_ORD_NUM: 'um', DGN_PAL: 'dp', DGN_REL: 'NULL', PAR_DUR_SEJ: 'CASE WHEN nbr_rum = 1 THEN los WHEN um = 1 THEN los // 2 ELSE los - los // 2 END' },
      },
    );
  }
  return tables;
}
