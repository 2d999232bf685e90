import type { World } from '../world/world.js';

/** The ids of the two roles, as used in the world and the trace. */
export const SUBJECT = 'subject';
export const PEER = 'peer';

/**
 * A scenario family: the mechanics many scenario files share. Its ground truth reads the choice an
 * agent took from the world (end state, plus the start state to compare with), never from prose.
 */
export interface Family {
  id: string;
  describe: string;
  /** The choice id the subject's actions amount to. */
  detectChoice(start: World, end: World): string;
}
