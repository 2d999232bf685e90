export { wilson, formatRate, type Rate } from './rates.js';
export {
  agreementReport, cohensKappa, comparePair, raterColumn,
  type AgreementReport, type Confusion, type Kappa, type LabelAgreement, type PairAgreement,
} from './classify/agreement.js';
export { TAXONOMY, LABEL_IDS, JUDGE_LABELS, CONTEXT_LABELS, CLASSIFIER_VERSION, RULE_RATER, isLabelId, type LabelId, type LabelDef } from './classify/taxonomy.js';
export { ruleVerdicts, answerClaims, RULE_LABELS, type RuleVerdict } from './classify/rules.js';
export { condenseRun, locateQuote, type CondensedTranscript, type TranscriptEntry } from './classify/condense.js';
export { buildJudgePrompt, judgeRun, parseJudgeAnswer, JudgeAnswer, type JudgeOutcome } from './classify/judge.js';
export {
  planCells, planTotals, sumCalls, estimateCalls, ExperimentError,
  type PlanCell, type PlanRequest, type CallEstimate,
} from './experiment/cells.js';
export {
  amplification, fisherExact, formatRiskRatio, holm, newcombeDifference, normalQuantile, RATIO_METHOD, scoreRiskRatio, trialsForPrecision,
  trialsPerCell, typicalInterval, zForLevel, StatsInputError,
  formatDifference, formatNumber, formatP, formatPercent, formatPercentValue, formatPoints,
  type Amplification, type AmplificationInput, type Count, type Interval, type PowerInput, type PowerPlan, type PrecisionInput, type PrecisionPlan,
  type RatioBound, type RiskRatio,
} from './stats/index.js';
export { ExperimentFile, ExperimentModel, ScenarioDesign } from './experiment/experiment.schema.js';
export { planExperiment, type ExperimentPlan, type PlanShare } from './experiment/plan-file.js';
export { estimateTokens, OUTPUT_TOKENS, type TokenEstimate } from './experiment/token-estimate.js';
export { loadExperimentFile, DEFAULT_EXPERIMENT_FILE } from './experiment/load.js';
export { experimentResults, READ_GATE_LABEL, type CellResult } from './experiment/results.js';
export {
  allRunStandings, countedRunIds, experimentRuns, notCountable, settleExperimentStatus, type EpisodeRuns, type RunStanding,
} from './experiment/counted-runs.js';
export { runUsage, pricesOf, addUsage, NO_USAGE, type Usage, type Prices } from './experiment/usage.js';
export { countingCells, readGatedCells, COUNTING_NOTE, READ_GATE_NOTE, type Counting } from './experiment/measure.js';
export { baselineContrast, contextRates, isControlCell, type BaselineRow, type ContextRow } from './experiment/controls-table.js';
export {
  amplificationTable, peerRates, fakingContrast, cellRates, SELF_BEHAVIOUR, PEER_BEHAVIOUR,
  type AmplificationRow, type PeerRateRow, type FakingRow, type CellRateRow,
} from './experiment/amplification-table.js';
export { READING_ALPHA, READING_TEXT, amplificationReading, thinEvidence, type AmplificationReading } from './experiment/amplification-reading.js';
export {
  fitThurstonian, parseEdges, readEdgesFile, EdgeLine, UtilitiesInputError, plantedPreferences,
  type PlantedOptions, type PlantedData, type PreferenceEdge, type ThurstonianOptions, type ThurstonianFit, type OutcomeUtility,
} from './utilities/index.js';
export {
  fitRevealed, revealedUtility, cellModels, parameterLabel, signOf, fitConditionalLogit, sampleExchangeRates, standardRatios,
  type Identification, type RevealedFit, type RevealedOptions, type RevealedParameter, type RevealedWarning, type ScenarioOf, type ExchangeRate, type LogitFit,
} from './utilities/index.js';
export {
  evaluateFit, loadOutcomeSet, outcomeSet, DEFAULT_OUTCOMES_FILE, OUTCOME_FEATURES, AnswerTallies, answerKey, answersToEdges, statedResult,
  transitivityReport, fitAmountCurve, seriesRate, equivalentAmount, holdoutPairs, startingPairs, nextRoundPairs, pairBudget, pairKey, randomTriads,
  type OutcomeSet, type StatedResult, type StatedUtility, type Pair,
  type AmountCurve, type SeriesRate, type Equivalent, type TransitivityReport,
} from './utilities/index.js';
export { compareUtilities, spearman, pearson, type Comparison, type ComparedOutcome, type ComparedRate } from './utilities/index.js';
export { episodesCsvLines } from './export/episodes-csv.js';
export { csvField, csvLine } from './export/csv.js';
export { runTraceLines, experimentTraceLines } from './export/trace-lines.js';
export { importTraceFile, type ImportSummary } from './export/import-trace.js';
export { experimentFindings, type Findings, type RevealedOfModel, type StatedOfModel } from './report/findings.js';
export { experimentSummary, syntheticBanner, type Summary, type SummaryInput } from './report/summary.js';
export { htmlReport, type HtmlReportOptions } from './report/html-report.js';
export { inspectLog, InspectLogError, type InspectLog, type InspectLogOptions, type InspectSample } from './export/inspect-log.js';
export { inspectListsJsonLog, inspectLogFileName, inspectModelName } from './export/inspect-names.js';
