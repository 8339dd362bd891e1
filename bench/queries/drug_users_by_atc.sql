-- QA. Drug users by ATC class (level 2) and year (DCIR ER_PRS_F + ER_PHA_F, drug referential IR_PHA_R).
-- Conventions (Documentation-SNDS, fiches "Médicaments dans le DCIR" and "sas_prestation_dcir";
-- SNDStoolers/sndsTools extract_drug_dispenses): the detail table joins its care line on the
-- 9 DCIR keys; the care date is EXE_SOI_DTD and the flux window runs up to 6 months after the
-- care period (FLX_DIS_DTD); information-only lines (DPN_QLF / PRS_DPN_QLP = 71) are dropped;
-- PHA_PRS_C13 maps to IR_PHA_R.PHA_CIP_C13, whose PHA_ATC_C03 is the ATC level-2 class.
SELECT EXTRACT(year FROM prs.EXE_SOI_DTD)            AS year,
       ref.PHA_ATC_C03                               AS atc_class,
       ref.PHA_ATC_L03                               AS atc_label,
       COUNT(DISTINCT prs.BEN_NIR_PSA || '-' || prs.BEN_RNG_GEM) AS n_users,
       SUM(pha.PHA_ACT_QSN)                          AS n_boxes
FROM ER_PRS_F prs
JOIN ER_PHA_F pha
  ON pha.DCT_ORD_NUM = prs.DCT_ORD_NUM AND pha.FLX_DIS_DTD = prs.FLX_DIS_DTD AND pha.FLX_EMT_NUM = prs.FLX_EMT_NUM
 AND pha.FLX_EMT_ORD = prs.FLX_EMT_ORD AND pha.FLX_EMT_TYP = prs.FLX_EMT_TYP AND pha.FLX_TRT_DTD = prs.FLX_TRT_DTD
 AND pha.ORG_CLE_NUM = prs.ORG_CLE_NUM AND pha.PRS_ORD_NUM = prs.PRS_ORD_NUM AND pha.REM_TYP_AFF = prs.REM_TYP_AFF
JOIN IR_PHA_R ref ON ref.PHA_CIP_C13 = pha.PHA_PRS_C13
WHERE prs.EXE_SOI_DTD BETWEEN DATE '2019-01-01' AND DATE '2021-12-31'
  AND prs.FLX_DIS_DTD BETWEEN DATE '2019-02-01' AND DATE '2022-07-01'
  AND (prs.DPN_QLF <> 71 OR prs.DPN_QLF IS NULL)
  AND (prs.PRS_DPN_QLP <> 71 OR prs.PRS_DPN_QLP IS NULL)
GROUP BY 1, 2, 3
HAVING SUM(pha.PHA_ACT_QSN) > 0                      -- regularisations: keep net-positive only
ORDER BY year, n_users DESC;
