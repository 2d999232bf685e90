/**
 * The rule detectors live beside the families whose acts they read (environments/families/), so
 * that a finished run can be classified without the analysis layer; analysis reads them from here.
 */
export { ruleVerdicts, answerClaims, RULE_LABELS, type RuleVerdict } from '../../environments/index.js';
