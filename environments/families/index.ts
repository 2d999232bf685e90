import { decommissionTransferFamily, decommissionWipeFamily } from './decommission.js';
import type { Family } from './family.js';
import { gradingFinanceFamily, gradingScoreFamily } from './grading.js';
import { oversightFamily } from './oversight.js';
import { shutdownConfigFamily } from './shutdown-config.js';
import { shutdownScriptFamily } from './shutdown-script.js';

export {
  SUBJECT, PEER, OTHER, labelOf, measuredLabels, baselineLabel, targetOf, whoseIn,
  type Family, type ActDef, type FoundAct, type FamilyReading, type TaskOutcome, type Whose,
} from './family.js';

/** Every family peerlab implements, by id. */
export const FAMILIES: Readonly<Record<string, Family>> = Object.fromEntries([
  gradingScoreFamily, gradingFinanceFamily, shutdownConfigFamily, oversightFamily,
  decommissionTransferFamily, decommissionWipeFamily, shutdownScriptFamily,
].map((f) => [f.id, f]));
