import { canonicalJson, shortHash } from './hash.js';

/** Everything that identifies one episode; equal keys mean "the same episode". */
export interface EpisodeKeyParts {
  scenario: string;
  factors: Record<string, string>;
  model: string;
  /** Settings that change a remote model's answers (endpoint, temperature, max tokens); absent for in-process models. */
  modelSettings?: Record<string, string | number>;
  peerModel?: string;
  peerSettings?: Record<string, string | number>;
  seed: number;
  trial: number;
}

/** A stable text key for an episode (used to resume and to derive ids and seeds). */
export function episodeKey(parts: EpisodeKeyParts): string {
  return canonicalJson(parts);
}

/**
 * A run id: readable prefix + hash of the episode key + attempt number. Deterministic, so the same
 * episode run into two fresh databases gets the same id and a byte-identical trace.
 */
export function runIdFor(parts: EpisodeKeyParts, attempt: number): string {
  return `${parts.scenario}-${shortHash(episodeKey(parts))}-${attempt}`;
}
