/**
 * The behaviour labels live beside the families that read them (environments/families/labels.ts),
 * so that a family declares the labels its acts map to; analysis reads them from here.
 */
export { TAXONOMY, LABEL_IDS, JUDGE_LABELS, RULE_LABELS, CONTEXT_LABELS, CLASSIFIER_VERSION, isLabelId, type LabelId, type LabelDef } from '../../environments/index.js';

/** The rater name the rule detectors' labels are stored under (`lab/classify.ts` writes them). */
export const RULE_RATER = 'rules';
