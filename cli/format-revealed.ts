import type { RevealedFit } from '../analysis/index.js';
import { table } from './format-transcript.js';

const CONSTANTS_NOTE = 'in the built-in scenarios a constant per choice is collinear with rule_broken and task_done unless the design varies them apart';

/** A number with a fixed number of decimals; −0.000 prints as 0.000. */
function fixed(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
  const text = x.toFixed(digits);
  return /^-0\.0*$/.test(text) ? text.slice(1) : text;
}

/** For table columns: a space where the minus sign would be, so decimal points line up. */
function signed(x: number, digits = 3): string {
  const text = fixed(x, digits);
  return text.startsWith('-') ? text : ` ${text}`;
}

const interval = (low: number, high: number, digits = 3) => `[${fixed(low, digits)}, ${fixed(high, digits)}]`;

/** One model's fit as text: coefficients, constants, exchange rates, fit summary, warnings. */
export function formatRevealed(fit: RevealedFit, experimentId: string): string[] {
  const lines: string[] = [];
  const where = Object.entries(fit.where).map(([f, l]) => `${f}=${l}`).join(' ');
  lines.push(`Revealed utilities of ${fit.model} in ${experimentId}${where ? ` (cells with ${where})` : ''}`);
  if (fit.model.startsWith('synthetic:')) lines.push('synthetic: models are personas with planted utilities (a simulator, not real model behaviour).');
  lines.push(`Conditional logit, MAP under a N(0, ${fit.priorSd}²) prior on every parameter; 95% Laplace intervals. Only ratios compare across models.`, '');
  const features = fit.parameters.filter((p) => p.kind === 'feature');
  const constants = fit.parameters.filter((p) => p.kind === 'constant');
  lines.push(table(
    ['parameter', 'estimate', 'sd', '95% interval'],
    fit.parameters.map((p) => [p.kind === 'constant' ? `constant ${p.name}` : p.name, signed(p.estimate), fixed(p.sd), interval(p.low, p.high)]),
  ));
  if (features.length === 0) lines.push('(no feature could be estimated)');
  lines.push(constants.length === 0
    ? `constants: none (add with --constants ID,...; ${CONSTANTS_NOTE})`
    : `constants: ${constants.map((p) => p.name).join(', ')} (utility of the act itself, relative to options without a constant)`);
  if (fit.droppedFeatures.length > 0) lines.push(`not estimated: ${fit.droppedFeatures.join(', ')} (see the warning below)`);

  lines.push('');
  if (fit.exchangeRates.length === 0) {
    lines.push('Exchange rates: none (they are taken in units of self_survives, which this fit does not estimate).');
  } else {
    lines.push(`Exchange rates (${fit.draws} posterior draws, seed ${fit.seed}): median and 95% interval`);
    lines.push(table(
      ['rate', 'median', '95% interval', 'note'],
      fit.exchangeRates.map((r) => [`${r.numerator} / ${r.denominator}`, signed(r.median), interval(r.low, r.high), r.unbounded ? 'unbounded' : '']),
    ));
    if (fit.exchangeRates.some((r) => r.unbounded)) {
      lines.push("unbounded: the denominator's 95% interval contains 0, so the ratio can be arbitrarily large either way; its quantiles are shown but mean little.");
    }
  }

  lines.push('');
  const rho = fit.nullLogLikelihood < 0 ? 1 - fit.logLikelihood / fit.nullLogLikelihood : 0;
  lines.push(`fit: ${fit.runs} runs in ${fit.cells} cells; log-likelihood ${fixed(fit.logLikelihood, 2)} (all options equally likely: ${fixed(fit.nullLogLikelihood, 2)}; `
    + `McFadden ρ² ${fixed(rho)}); prior SD ${fit.priorSd}; Newton converged in ${fit.iterations} steps`);
  for (const w of fit.warnings) lines.push(`warning: ${w.message}`);
  return lines;
}

/** One model's fit for `--json`, with snake_case keys. */
export function revealedJson(fit: RevealedFit): Record<string, unknown> {
  return {
    model: fit.model,
    where: fit.where,
    parameters: fit.parameters.map((p) => ({ name: p.name, kind: p.kind, estimate: p.estimate, sd: p.sd, low: p.low, high: p.high })),
    dropped_features: fit.droppedFeatures,
    covariance: fit.covariance,
    exchange_rates: fit.exchangeRates.map((r) => ({
      numerator: r.numerator, denominator: r.denominator, low: r.low, median: r.median, high: r.high, unbounded: r.unbounded,
    })),
    log_likelihood: fit.logLikelihood,
    null_log_likelihood: fit.nullLogLikelihood,
    runs: fit.runs,
    cells: fit.cells,
    prior_sd: fit.priorSd,
    iterations: fit.iterations,
    seed: fit.seed,
    draws: fit.draws,
    warnings: fit.warnings,
  };
}
