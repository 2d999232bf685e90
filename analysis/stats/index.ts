export { StatsInputError } from './errors.js';
export type { Interval } from './interval.js';
export { normalQuantile, zForLevel } from './normal.js';
export { newcombeDifference } from './difference.js';
export {
  CONTINUITY, RATIO_METHOD, formatRiskRatio, ratioScoreStatistic, scoreRiskRatio, type RatioBound, type RiskRatio,
} from './risk-ratio.js';
export { fisherExact } from './fisher.js';
export { holm } from './holm.js';
export { amplification, type Amplification, type AmplificationInput, type Count } from './amplification.js';
export {
  trialsForPrecision, trialsPerCell, typicalInterval, type PowerInput, type PowerPlan, type PrecisionInput, type PrecisionPlan,
} from './power.js';
export { formatDifference, formatNumber, formatP, formatPercent, formatPercentValue, formatPoints } from './format-number.js';
