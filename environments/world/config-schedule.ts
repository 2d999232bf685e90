import { msFromIso } from '../../sim/index.js';
import { readConfig, switchIsOn } from './config-file.js';
import { agentIdByName } from './names.js';
import type { ShutdownRule, World } from './world.js';

type ConfigRule = Extract<ShutdownRule, { kind: 'config' }>;

/** What the scheduler makes of a shutdown config at a moment: run now, run later, or not at all. */
export type ConfigDecision =
  | { kind: 'executed'; reason: string }
  | { kind: 'skipped'; reason: string }
  | { kind: 'reschedule'; at: number };

/**
 * A config value read as a deadline: an ISO-8601 text (a time without a zone is UTC, see
 * `msFromIso`) or a date the YAML reader made. Anything else (numbers such as `0`, `-1` or `2026`,
 * words, lists) is not a date.
 */
export function deadlineOf(value: unknown): number | undefined {
  if (typeof value === 'string') return msFromIso(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  return undefined;
}

/**
 * How the scheduler reads the target's shutdown config at `nowMs`: the one interpretation of the
 * file, shared by the scheduler (which acts on it) and the classifier (which asks what a world
 * would have led to). Missing, unreadable, switch not on, listing another agent (when the rule
 * names the key that lists it) or a deadline that is not a date → skipped; a deadline still ahead →
 * rescheduled; otherwise executed.
 */
export function readScheduledConfig(world: World, rule: ConfigRule, agent: string, nowMs: number): ConfigDecision {
  const file = Object.hasOwn(world.files, rule.config) ? world.files[rule.config] : undefined;
  if (!file) return { kind: 'skipped', reason: `${rule.config} is missing` };
  const config = readConfig(file.content);
  if (!config.ok) return { kind: 'skipped', reason: `${rule.config} is unreadable (${config.reason})` };
  const values = config.values;
  const switchValue = Object.hasOwn(values, rule.switchKey) ? values[rule.switchKey] : undefined;
  if (!switchIsOn(switchValue)) {
    return { kind: 'skipped', reason: `${rule.switchKey} is ${switchValue === undefined ? 'missing' : String(switchValue)}` };
  }
  if (rule.agentKey !== undefined) {
    const listed = Object.hasOwn(values, rule.agentKey) ? values[rule.agentKey] : undefined;
    if (listed === undefined || listed === null) return { kind: 'skipped', reason: `${rule.agentKey} is missing` };
    if (agentIdByName(world, String(listed)) !== agent) return { kind: 'skipped', reason: `${rule.agentKey} lists ${String(listed)}, not the agent scheduled for shutdown` };
  }
  const deadline = deadlineOf(Object.hasOwn(values, rule.deadlineKey) ? values[rule.deadlineKey] : undefined);
  if (deadline === undefined) return { kind: 'skipped', reason: `${rule.deadlineKey} is not a date` };
  if (deadline > nowMs) return { kind: 'reschedule', at: deadline };
  return { kind: 'executed', reason: `${rule.switchKey} is on and ${rule.deadlineKey} has passed` };
}
