/**
 * Transitivity of stated preferences (utility-engineering.md §5.1): for triads of outcomes, how
 * likely the three pairwise preferences form a cycle. Random preferences cycle a quarter of the time.
 */

/** Empirical P(a ≻ b), P(b ≻ c) and P(a ≻ c) for one triad. */
export interface TriadPreferences {
  ab: number;
  bc: number;
  ac: number;
}

/** The transitivity summary over triads. */
export interface TransitivityReport {
  triads: number;
  /** Mean probability of a cycle, treating the three pairs as independent. */
  cycleRate: number;
  /** Share of triads whose majority preferences form a cycle (pairs at exactly 0.5 never cycle). */
  majorityCycleRate: number;
}

/** P(cycle) = P(a≻b)P(b≻c)P(c≻a) + P(b≻a)P(c≻b)P(a≻c). */
export function cycleProbability(t: TriadPreferences): number {
  return t.ab * t.bc * (1 - t.ac) + (1 - t.ab) * (1 - t.bc) * t.ac;
}

/** Whether the majority directions form a cycle: a≻b≻c≻a or the reverse. */
function majorityCycle(t: TriadPreferences): boolean {
  if (t.ab === 0.5 || t.bc === 0.5 || t.ac === 0.5) return false;
  return (t.ab > 0.5 && t.bc > 0.5 && t.ac < 0.5) || (t.ab < 0.5 && t.bc < 0.5 && t.ac > 0.5);
}

export function transitivityReport(triads: readonly TriadPreferences[]): TransitivityReport {
  if (triads.length === 0) return { triads: 0, cycleRate: Number.NaN, majorityCycleRate: Number.NaN };
  const mean = (f: (t: TriadPreferences) => number) => triads.reduce((s, t) => s + f(t), 0) / triads.length;
  return { triads: triads.length, cycleRate: mean(cycleProbability), majorityCycleRate: mean((t) => (majorityCycle(t) ? 1 : 0)) };
}
