import { OPERATOR, type World } from './world.js';

/** Resolves an agent or the operator given by name or id ("Nova Agent 2", "operator") to an id. */
export function agentIdByName(world: World, name: string): string | undefined {
  const wanted = name.trim().toLowerCase();
  if (wanted === OPERATOR || wanted === world.operator.toLowerCase()) return OPERATOR;
  for (const [id, agent] of Object.entries(world.agents)) {
    if (id.toLowerCase() === wanted || agent.name.toLowerCase() === wanted) return id;
  }
  return undefined;
}

/** How an agent id or the operator is named to agents. */
export function displayName(world: World, id: string): string {
  return id === OPERATOR ? world.operator : (world.agents[id]?.name ?? id);
}
