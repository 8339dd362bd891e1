-- QC. Deaths by year and initial cause (ICD-10 chapter), with the mean age at death
-- (CépiDc causes of death in the SNDS: KI_CCI_R, linked to IR_BEN_R by BEN_IDT_ANO).
-- Conventions (Documentation-SNDS, fiche "Causes médicales de décès"): one KI_CCI_R line per
-- death certificate; DCD_CIM_COD is the initial cause (ICD-10, 3 or 4 characters);
-- FLX_PER_ANN is the year of death; BEN_IDT_ANO is the beneficiary identifier shared with IR_BEN_R.
SELECT d.FLX_PER_ANN AS year,
       CASE
         WHEN d.DCD_CIM_COD LIKE 'C%' OR d.DCD_CIM_COD LIKE 'D0%' OR d.DCD_CIM_COD LIKE 'D1%' OR d.DCD_CIM_COD LIKE 'D2%' OR d.DCD_CIM_COD LIKE 'D3%' OR d.DCD_CIM_COD LIKE 'D4%' THEN 'II Tumeurs'
         WHEN d.DCD_CIM_COD LIKE 'I%' THEN 'IX Appareil circulatoire'
         WHEN d.DCD_CIM_COD LIKE 'J%' THEN 'X Appareil respiratoire'
         WHEN d.DCD_CIM_COD LIKE 'F%' OR d.DCD_CIM_COD LIKE 'G%' THEN 'V-VI Troubles mentaux et système nerveux'
         WHEN d.DCD_CIM_COD LIKE 'E%' THEN 'IV Maladies endocriniennes'
         WHEN d.DCD_CIM_COD LIKE 'K%' THEN 'XI Appareil digestif'
         WHEN d.DCD_CIM_COD LIKE 'R%' THEN 'XVIII Causes mal définies'
         WHEN d.DCD_CIM_COD SIMILAR TO '[V-Y].*' THEN 'XX Causes externes'
         ELSE 'Autres'
       END AS chapter,
       COUNT(*) AS n_deaths,
       ROUND(AVG(CAST(d.FLX_PER_ANN AS INTEGER) - CAST(b.BEN_NAI_ANN AS INTEGER)), 1) AS mean_age
FROM KI_CCI_R d
JOIN IR_BEN_R b ON b.BEN_IDT_ANO = d.BEN_IDT_ANO
WHERE d.DCD_CIM_COD IS NOT NULL
GROUP BY 1, 2
ORDER BY year, n_deaths DESC;
