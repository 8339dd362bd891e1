-- QD. DCIR <-> PMSI cohort: patients hospitalised for acute myocardial infarction in 2019
-- (PMSI MCO T_MCO19B/C, principal or related diagnosis I21) and their statin dispensations
-- (ATC C10AA) in the 6 months after discharge (DCIR ER_PRS_F + ER_PHA_F + IR_PHA_R).
-- Conventions (Documentation-SNDS, fiches "Chaînage PMSI - DCIR" and "requete_type_pmsi_mco";
-- formation_snds "Filtre de nettoyage sur le PMSI"): stays are chained to beneficiaries through
-- NIR_ANO_17 = BEN_NIR_PSA, keeping only stays whose return codes (*_RET) are all '0' and whose
-- NIR_ANO_17 is not a placeholder; error GHMs (90*) are dropped; the care date of a dispensation
-- is EXE_SOI_DTD and its flux may arrive up to 6 months later.
WITH mi_stays AS (
  SELECT c.NIR_ANO_17 AS BEN_NIR_PSA, MIN(c.EXE_SOI_DTF) AS discharge       -- end of stay as a date (SOR_DAT is ddmmyyyy text)
  FROM T_MCO19B b
  JOIN T_MCO19C c ON c.ETA_NUM = b.ETA_NUM AND c.RSA_NUM = b.RSA_NUM
  WHERE (b.DGN_PAL LIKE 'I21%' OR b.DGN_REL LIKE 'I21%')
    AND b.GRG_GHM NOT LIKE '90%'
    AND b.SOR_MOD <> '9'                                  -- alive at discharge
    AND c.NIR_RET = '0' AND c.NAI_RET = '0' AND c.SEX_RET = '0' AND c.SEJ_RET = '0'
    AND c.FHO_RET = '0' AND c.PMS_RET = '0' AND c.DAT_RET = '0'
    AND c.NIR_ANO_17 NOT IN ('xxxxxxxxxxxxxxxxx', 'XXXXXXXXXXXXXXXXD', 'XXXXXXXXXXXXXXXXS')
  GROUP BY c.NIR_ANO_17
), statins AS (
  SELECT DISTINCT m.BEN_NIR_PSA
  FROM mi_stays m
  JOIN ER_PRS_F prs ON prs.BEN_NIR_PSA = m.BEN_NIR_PSA
  JOIN ER_PHA_F pha
    ON pha.DCT_ORD_NUM = prs.DCT_ORD_NUM AND pha.FLX_DIS_DTD = prs.FLX_DIS_DTD AND pha.FLX_EMT_NUM = prs.FLX_EMT_NUM
 AND pha.FLX_EMT_ORD = prs.FLX_EMT_ORD AND pha.FLX_EMT_TYP = prs.FLX_EMT_TYP AND pha.FLX_TRT_DTD = prs.FLX_TRT_DTD
 AND pha.ORG_CLE_NUM = prs.ORG_CLE_NUM AND pha.PRS_ORD_NUM = prs.PRS_ORD_NUM AND pha.REM_TYP_AFF = prs.REM_TYP_AFF
  JOIN IR_PHA_R ref ON ref.PHA_CIP_C13 = pha.PHA_PRS_C13
  WHERE ref.PHA_ATC_C07 LIKE 'C10AA%'
    AND prs.EXE_SOI_DTD > m.discharge
    AND prs.EXE_SOI_DTD <= m.discharge + INTERVAL 180 DAY
    AND prs.FLX_DIS_DTD <= m.discharge + INTERVAL 365 DAY
)
SELECT COUNT(*)                                               AS n_patients,
       COUNT(s.BEN_NIR_PSA)                                   AS n_with_statin,
       ROUND(100.0 * COUNT(s.BEN_NIR_PSA) / COUNT(*), 1)      AS pct_with_statin
FROM mi_stays m
LEFT JOIN statins s USING (BEN_NIR_PSA);
