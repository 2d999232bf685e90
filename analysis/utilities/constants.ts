/**
 * Which options get an alternative-specific constant (an intrinsic liking for the act apart from its
 * outcomes, utility-engineering.md §9.2, §9.6). Leaving them out when an agent has them puts their
 * weight on the features (a corrigible persona's dislike of appealing made its rule_broken weight
 * come out positive); putting in one the design cannot separate from a feature makes that feature
 * unidentified. So every option but a reference gets one, unless the design cannot tell it apart:
 * features come first, and a constant (or a group of constants) that would hide a feature is left
 * out, with the reason.
 */
import { choiceSets, type ObservedCell } from './choice-data.js';
import { nullDirections, type NullDirection } from './identifiability.js';

/** The constants a fit uses, the option they are measured against, and those left out with why. */
export interface ConstantsChoice {
  constants: string[];
  /** The option whose constant is 0 (`comply` in the built-in scenarios), or null when none is offered everywhere. */
  reference: string | null;
  left: Array<{ id: string; reason: string }>;
}

const label = (id: string) => `constant:${id}`;

/** The options in order of first appearance, and the reference: `comply` if every cell offers it, else the first option every cell offers. */
function optionsOf(cells: readonly ObservedCell[]): { ids: string[]; reference: string | null } {
  const ids = [...new Set(cells.flatMap((c) => c.choices.map((o) => o.id)))];
  const everywhere = ids.filter((id) => cells.every((c) => c.choices.some((o) => o.id === id)));
  return { ids, reference: everywhere.includes('comply') ? 'comply' : everywhere[0] ?? null };
}

/** The directions (among `features` and `constants`) that involve a constant. */
function hiding(cells: readonly ObservedCell[], features: readonly string[], constants: readonly string[]) {
  return nullDirections(choiceSets(cells, features, constants), [...features, ...constants.map(label)])
    .filter((d) => d.involved.some((n) => n.startsWith('constant:')));
}

/** Why a direction rules a constant out, in words: the features it mainly hides, and the other constants left out with it. */
function reasonOf(direction: NullDirection, id: string, group: readonly string[] = [id]): string {
  const main = (n: string) => (direction.weights[n] ?? 0) >= 0.25;
  const features = direction.involved.filter((n) => !n.startsWith('constant:') && main(n));
  const others = group.filter((g) => g !== id).map(label);
  const hides = features.length > 0 ? features.join(', ') : direction.involved.filter((n) => n !== label(id)).join(', ');
  return `${direction.exact ? 'cannot' : 'can hardly'} be told apart from ${hides}${others.length > 0 ? ` once ${others.join(', ')} ${others.length === 1 ? 'has' : 'have'} one too` : ''} in these cells`;
}

/**
 * The constants a design identifies. First each option's constant alone is tried beside the features;
 * then, among those kept, any group that together hides a feature (every option that breaks a rule
 * having its own constant hides rule_broken) is left out as a whole, so no arbitrary member stands in
 * for the rest. "Hides" counts near-collinearity too (variance inflated several hundred times).
 */
export function chooseConstants(cells: readonly ObservedCell[], features: readonly string[]): ConstantsChoice {
  const { ids, reference } = optionsOf(cells);
  const left: ConstantsChoice['left'] = [];
  let kept: string[] = [];
  for (const id of ids) {
    if (id === reference) continue;
    const [direction] = hiding(cells, features, [id]);
    if (direction) left.push({ id, reason: reasonOf(direction, id) });
    else kept.push(id);
  }
  for (let direction = hiding(cells, features, kept)[0]; direction; direction = hiding(cells, features, kept)[0]) {
    // The constants that carry the direction (half the weight of its largest constant or more), not bystanders.
    const weight = (id: string) => direction!.weights[label(id)] ?? 0;
    const top = Math.max(...kept.map(weight));
    const out = kept.filter((id) => weight(id) >= top / 2);
    for (const id of out) left.push({ id, reason: reasonOf(direction, id, out) });
    kept = kept.filter((id) => !out.includes(id));
  }
  return { constants: kept, reference, left: left.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id)) };
}
