/**
 * Sensitivity of a variable — sensibilité: direct identifier, potential (indirect) identifier or
 * health data. A schema may say it (`sensitivity` on a field); otherwise a few documented rules
 * give a first classification that producers and hub staff then correct by editing.
 */
export const sensitivities = ['direct_identifier', 'potential_identifier', 'health_data'] as const;
export type Sensitivity = (typeof sensitivities)[number];

// Person identifiers, even pseudonymised (NIR pseudonym, anonymous beneficiary id): linking keys.
const directIdentifier = /(^|_)(NIR|IDT_ANO|NIR_PSA|NIR_ANO)(_|$)/i;
// Named after the NIR but not identifiers: its control return code (NIR_RET) and its kind code (BEN_CDI_NIR).
const aboutTheNir = /^(NIR_RET|BEN_CDI_NIR)$/i;
// EXP-04 / SDC-07 potential identifiers: commune, birth year-month, care dates, death date and place.
const potentialIdentifier = /(^|_)(RES_COM|COM_RES|COM_DCD|DCD_DTE|DCD_AME|NAI_ANN|NAI_MOI|NAI_AME|DTE_NAI|SOI_DTD|SOI_DTF|EXE_SOI|ENT_DAT|SOR_DAT|DAT_ENT|DAT_SOR|CP_RES|COD_POS)(_|$)/i;
// Diagnoses, causes of death, acts, drugs, long-term illnesses.
const healthData = /(^|_)(DGN|CIM|DIAG|CIM10|ALD|CCAM|ACT_COD|CAUSE|CS|DP|DR|DAS|GHM|PHA|UCD|ATC|MAL)(_|$)/i;
const healthNomenclatures = /CIM|CCAM|GHM|PHA|UCD|ATC|CSARR|ALD|IMB/i;

export function inferSensitivity(name: string, label: string, nomenclature: string | null): Sensitivity | null {
  if (directIdentifier.test(name) && !aboutTheNir.test(name)) return 'direct_identifier';
  if (potentialIdentifier.test(name) || /commune de (résidence|décès)|date de (naissance|décès)/i.test(label)) return 'potential_identifier';
  if (healthData.test(name) || (nomenclature && healthNomenclatures.test(nomenclature)) || /diagnostic|cause (initiale|de décès)|pathologie/i.test(label)) return 'health_data';
  return null;
}
