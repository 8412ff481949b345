/**
 * Sets of countries the operations are asked about, by tests and measurements alike, from the
 * reference data (the membership seed of consultative-processes).
 */

/** Every country that is or was a member of ECOWAS or ECCAS: West and Central Africa, 27 countries. */
export const WCA_27 = [
  'AGO',
  'BDI',
  'BEN',
  'BFA',
  'CAF',
  'CIV',
  'CMR',
  'COD',
  'COG',
  'CPV',
  'GAB',
  'GHA',
  'GIN',
  'GMB',
  'GNB',
  'GNQ',
  'LBR',
  'MLI',
  'MRT',
  'NER',
  'NGA',
  'RWA',
  'SEN',
  'SLE',
  'STP',
  'TCD',
  'TGO',
];

/** The members of ECOWAS on 2024-06-30, as a client passes them to the corridor queries. */
export const ECOWAS_ON_2024_06_30 = [
  'BEN',
  'BFA',
  'CIV',
  'CPV',
  'GHA',
  'GIN',
  'GMB',
  'GNB',
  'LBR',
  'MLI',
  'NER',
  'NGA',
  'SEN',
  'SLE',
  'TGO',
];
