export { fitThurstonian, type PreferenceEdge, type ThurstonianOptions, type ThurstonianFit, type OutcomeUtility } from './thurstonian.js';
export { parseEdges, readEdgesFile, EdgeLine } from './edges-file.js';
export { UtilitiesInputError } from './errors.js';
export { plantedPreferences, type PlantedOptions, type PlantedData } from './planted.js';
