-- QB. Prevalence of long-term illnesses (ALD) on 31 December 2019, per 1,000 living beneficiaries.
-- Conventions (Documentation-SNDS, fiche "Les affections de longue durée (ALD)"; Cnam
-- "cartographie des pathologies" methodology): IR_IMB_R holds one line per exoneration;
-- exonerations for an ALD are IMB_ETM_NAT 41 (list), 43 (off list), 45 (several conditions);
-- an ALD is in force when IMB_ALD_DTD <= date and IMB_ALD_DTF is after it, empty or the
-- 1600-01-01 "no end" marker; people are identified by BEN_NIR_PSA + BEN_RNG_GEM (IR_BEN_R).
WITH population AS (
  SELECT BEN_NIR_PSA, BEN_RNG_GEM
  FROM IR_BEN_R
  WHERE BEN_NAI_ANN <= '2019'
    AND (BEN_DCD_DTE IS NULL OR BEN_DCD_DTE > DATE '2019-12-31')
), in_force AS (
  SELECT DISTINCT BEN_NIR_PSA, BEN_RNG_GEM, IMB_ALD_NUM
  FROM IR_IMB_R
  WHERE IMB_ETM_NAT IN (41, 43, 45)
    AND IMB_ALD_DTD <= DATE '2019-12-31'
    AND (IMB_ALD_DTF IS NULL OR IMB_ALD_DTF >= DATE '2019-12-31' OR IMB_ALD_DTF = DATE '1600-01-01')
)
SELECT a.IMB_ALD_NUM,
       COUNT(*)                                                       AS n_patients,
       ROUND(1000.0 * COUNT(*) / (SELECT COUNT(*) FROM population), 2) AS per_1000
FROM in_force a
JOIN population p USING (BEN_NIR_PSA, BEN_RNG_GEM)
GROUP BY a.IMB_ALD_NUM
ORDER BY n_patients DESC;
