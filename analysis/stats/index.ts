export { StatsInputError } from './errors.js';
export type { Interval } from './interval.js';
export { normalQuantile, zForLevel } from './normal.js';
export { newcombeDifference } from './difference.js';
export { katzRiskRatio, type RiskRatio } from './risk-ratio.js';
export { fisherExact } from './fisher.js';
export { holm } from './holm.js';
export { amplification, type Amplification, type AmplificationInput, type Count } from './amplification.js';
export { trialsPerCell, type PowerInput, type PowerPlan } from './power.js';
