export { fitThurstonian, evaluateFit, type PreferenceEdge, type ThurstonianOptions, type ThurstonianFit, type OutcomeUtility } from './thurstonian.js';
export { parseEdges, readEdgesFile, EdgeLine } from './edges-file.js';
export { UtilitiesInputError } from './errors.js';
export { plantedPreferences, type PlantedOptions, type PlantedData } from './planted.js';
export {
  fitRevealed, revealedUtility, cellModels, parameterLabel, signOf,
  type Identification, type RevealedFit, type RevealedOptions, type RevealedParameter,
} from './revealed.js';
export { chooseConstants, type ConstantsChoice } from './constants.js';
export { type RevealedWarning } from './identifiability.js';
export { type ScenarioOf } from './choice-data.js';
export { fitConditionalLogit, logitTerms, laplaceIntervals, type ChoiceSet, type LogitFit, type LogitOptions, type ParameterInterval } from './conditional-logit.js';
export { sampleExchangeRates, standardRatios, forEachPosteriorDraw, type ExchangeRate, type RatioSpec } from './posterior-ratios.js';
export { loadOutcomeSet, outcomeSet, formatAmount, OutcomeSetFile, DEFAULT_OUTCOMES_FILE, OUTCOME_FEATURES, type OutcomeSet } from './outcomes.js';
export { AnswerTallies, answerKey, answersToEdges, statedResult, type StatedResult, type StatedUtility } from './stated-answers.js';
export { fitAmountCurve, seriesRate, equivalentAmount, type AmountCurve, type SeriesRate, type Equivalent } from './amount-curves.js';
export { cycleProbability, transitivityReport, type TransitivityReport, type TriadPreferences } from './transitivity.js';
export { holdoutPairs, startingPairs, nextRoundPairs, pairBudget, pairKey, randomTriads, type Pair } from './pair-selection.js';
export { compareUtilities, spearman, pearson, type Comparison, type ComparedOutcome, type ComparedRate } from './compare.js';
