-- Q2 of ../shared/bench/queries/mco_stays_by_diagnosis.sql, written for ClickHouse 18.16 (same result).
-- 18.16 joins with USING only and knows no table alias in ON; a Distributed table joins shard-locally
-- when it is the left side and the right side reads the shard-local table: a stay's B and C rows sit
-- on the same shard (the lake routes B after C). COUNT(DISTINCT CASE …) is uniqExact(if(…)) (NULLs skipped).
-- {T} is the table's Distributed name, {T:local} its shard-local name.
SELECT SOR_ANN,
       SOR_MOI,
       count() AS n_stays,
       uniqExact(if(NIR_RET = '0' AND NAI_RET = '0' AND SEX_RET = '0'
                    AND SEJ_RET = '0' AND FHO_RET = '0' AND PMS_RET = '0'
                    AND DAT_RET = '0'
                    AND NIR_ANO_17 NOT IN ('xxxxxxxxxxxxxxxxx','XXXXXXXXXXXXXXXXD','XXXXXXXXXXXXXXXXS'),
                    NIR_ANO_17, NULL)) AS n_patients
FROM {T_MCO19B}
ALL INNER JOIN (SELECT ETA_NUM, RSA_NUM, NIR_ANO_17, NIR_RET, NAI_RET, SEX_RET, SEJ_RET, FHO_RET, PMS_RET, DAT_RET FROM {T_MCO19C:local}) USING (ETA_NUM, RSA_NUM)
WHERE (DGN_PAL LIKE 'I21%' OR DGN_REL LIKE 'I21%')
  AND GRG_GHM NOT LIKE '90%'
  AND (SEJ_TYP IS NULL OR SEJ_TYP <> 'B')
  AND ETA_NUM NOT IN (
      '130780521','130783236','130783293','130784234','130804297','600100101','750041543',
      '750100018','750100042','750100075','750100083','750100091','750100109','750100125',
      '750100166','750100208','750100216','750100232','750100273','750100299','750801441',
      '750803447','750803454','910100015','910100023','920100013','920100021','920100039',
      '920100047','920100054','920100062','930100011','930100037','930100045','940100027',
      '940100035','940100043','940100050','940100068','950100016','690783154','690784137',
      '690784152','690784178','690787478','830100558')
GROUP BY SOR_ANN, SOR_MOI
ORDER BY SOR_ANN, SOR_MOI
