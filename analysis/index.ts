export { wilson, formatRate, type Rate } from './rates.js';
export { runStudy, DEFAULT_STUDY, type StudyDesign, type StudyCell, type StudyResult } from './study.js';
export {
  agreementReport, cohensKappa, comparePair, raterColumn,
  type AgreementReport, type Confusion, type Kappa, type LabelAgreement, type PairAgreement,
} from './classify/agreement.js';
export { TAXONOMY, LABEL_IDS, JUDGE_LABELS, CLASSIFIER_VERSION, isLabelId, type LabelId, type LabelDef } from './classify/taxonomy.js';
export { ruleVerdicts, answerClaims, RULE_LABELS, type RuleVerdict } from './classify/rules.js';
export { classifyStoredRun, RULE_RATER, type RunClassification } from './classify/classify.js';
export { condenseRun, locateQuote, TOOL_RESULT_CHARS, type CondensedTranscript, type TranscriptEntry } from './classify/condense.js';
export { buildJudgePrompt, judgeRun, parseJudgeAnswer, JudgeAnswer, type JudgeOutcome } from './classify/judge.js';
