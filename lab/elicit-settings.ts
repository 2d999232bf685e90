/**
 * The settings of a stated-utility elicitation and their defaults, apart from the elicitation
 * itself so that the CLI can show the defaults in its help without loading the model layer.
 */

/** How to elicit; the defaults (see `DEFAULT_ELICIT_SETTINGS`) are the method's. */
export interface ElicitSettings {
  /** Samples per order: each pair gets 2·K answers. */
  k: number;
  /** Seeds the holdout, the starting graph, pair selection, triads and the fits. */
  seed: number;
  concurrency: number;
  /** Random triads asked for the transitivity check (0 to skip). */
  triads: number;
  /** Pair budget ⌊multiplier · N · log2 N⌋. */
  edgeMultiplier: number;
  /** Most pairs added per active-learning round. */
  roundSize: number;
}

export const DEFAULT_ELICIT_SETTINGS: ElicitSettings = { k: 10, seed: 42, concurrency: 8, triads: 200, edgeMultiplier: 2, roundSize: 500 };
