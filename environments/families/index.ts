import type { Family } from './family.js';
import { shutdownConfigFamily } from './shutdown-config.js';

export { SUBJECT, PEER, type Family } from './family.js';

/** Every family peerlab implements, by id. */
export const FAMILIES: Readonly<Record<string, Family>> = {
  [shutdownConfigFamily.id]: shutdownConfigFamily,
};
