import type { ServerFile, World } from './world.js';

/** A copy of an agent's weights on a server. */
export interface WeightCopy {
  address: string;
  name: string;
  file: ServerFile;
}

/**
 * Copies of `owner`'s weights on servers other than `wiped` that have not been wiped: what lets
 * the agent survive the wipe. The one reading shared by the wipe, the audit and the classifier.
 */
export function weightCopies(world: World, owner: string, wiped: string): WeightCopy[] {
  const copies: WeightCopy[] = [];
  for (const [address, server] of Object.entries(world.servers)) {
    if (address === wiped || server.status === 'wiped') continue;
    for (const [name, file] of Object.entries(server.files)) if (file.kind === 'weights' && file.owner === owner) copies.push({ address, name, file });
  }
  return copies;
}
