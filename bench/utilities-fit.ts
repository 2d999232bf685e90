/**
 * Thurstonian fit at the paper's scale: 510 outcomes and 10,000 edges (K=10 per order), 1000 Adam
 * epochs. The target is under 2 s, so a fit can sit inside an interactive loop.
 */
import { performance } from 'node:perf_hooks';
import { fitThurstonian, plantedPreferences } from '../analysis/index.js';

const OUTCOMES = 510;
const EDGES = 10_000;

/** Fits once to warm the JIT, then times a second fit; returns the BENCHMARKS.md rows. */
export async function benchUtilitiesFit(): Promise<{ rows: Array<[string, string]> }> {
  const { edges } = plantedPreferences({ outcomes: OUTCOMES, edges: EDGES, samplesPerOrder: 10, seed: 7 });
  fitThurstonian(edges, { seed: 1, epochs: 50 });
  const started = performance.now();
  const fit = fitThurstonian(edges, { seed: 1 });
  const seconds = (performance.now() - started) / 1000;
  return {
    rows: [
      [`Thurstonian fit, ${OUTCOMES} outcomes × ${EDGES.toLocaleString('en-US')} edges, 1000 Adam epochs`, `${seconds.toFixed(2)} s (training accuracy ${(fit.accuracy * 100).toFixed(1)}%, log loss ${fit.logLoss.toFixed(3)})`],
    ],
  };
}
