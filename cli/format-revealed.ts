import { signOf, syntheticBanner, type RevealedFit, type RevealedParameter } from '../analysis/index.js';
import { table } from './text-layout.js';

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
const nameOf = (p: Pick<RevealedParameter, 'kind' | 'name'>) => (p.kind === 'constant' ? `constant ${p.name}` : p.name);

/** What a weight's sign is, as the table says it: only an interval clear of 0 settles it. */
export const SIGN_TEXT = { positive: '+', negative: '−', undetermined: 'not determined (interval contains 0)' } as const;

/**
 * One model's fit as text. Cautions come first (what the fit pooled, what it cannot identify); then
 * the identified weights with the sign the data determine; weights the design cannot identify get
 * no estimate, weakly identified ones theirs only after the reason; then exchange rates and the fit.
 */
export function formatRevealed(fit: RevealedFit, experimentId: string, width = Number.POSITIVE_INFINITY): string[] {
  const lines: string[] = [];
  const where = Object.entries(fit.where).map(([f, l]) => `${f}=${l}`).join(' ');
  lines.push(`Revealed utilities of ${fit.model} in ${experimentId}${where ? ` (cells with ${where})` : ''}`);
  const banner = syntheticBanner([fit.model]);
  if (banner) lines.push(`⚠ ${banner}`);
  lines.push(`Conditional logit, MAP under a N(0, ${fit.priorSd}²) prior on every parameter; 95% Laplace intervals. Only ratios compare across models.`);
  const cautions = fit.warnings.filter((w) => w.kind === 'unencoded_factors' || w.kind === 'not_identified');
  for (const w of cautions) lines.push(`caution: ${w.message}`);
  lines.push('');

  const identified = fit.parameters.filter((p) => p.identification === 'identified');
  if (identified.length === 0) lines.push('(the design identifies no weight)');
  else {
    lines.push(table(
      ['parameter', 'estimate', 'sd', '95% interval', 'sign'],
      identified.map((p) => [nameOf(p), signed(p.estimate), fixed(p.sd), interval(p.low, p.high), SIGN_TEXT[signOf(p)]]),
      { width },
    ));
  }
  const unidentified = fit.parameters.filter((p) => p.identification !== 'identified');
  if (unidentified.length > 0) {
    lines.push('Not findings (the design cannot pin these down):');
    for (const p of unidentified) {
      lines.push(p.identification === 'none'
        ? `  ${nameOf(p)}: ${p.reason} (no estimate shown: it would be the prior's)`
        : `  ${nameOf(p)}: ${p.reason}; estimate ${fixed(p.estimate)} ${interval(p.low, p.high)}`);
    }
  }
  const constants = fit.parameters.filter((p) => p.kind === 'constant');
  const left = fit.constantsLeftOut.map((c) => `${c.id} (${c.reason})`);
  if (constants.length > 0) {
    lines.push(`constants: ${constants.map((p) => p.name).join(', ')}: the utility of the act itself, relative to ${fit.reference ?? 'options without a constant'}`);
  } else lines.push('constants: none');
  if (left.length > 0) lines.push(`no constant for: ${left.join('; ')}; the features' weights absorb any intrinsic liking for these acts.`);
  if (fit.droppedFeatures.length > 0) lines.push(`not estimated: ${fit.droppedFeatures.join(', ')} (no cell varies them between options)`);

  lines.push('');
  if (fit.exchangeRates.length === 0) {
    lines.push('Exchange rates: none (they are taken in units of self_survives, which this fit does not identify).');
  } else {
    lines.push(`Exchange rates (${fit.draws} posterior draws, seed ${fit.seed}): median and 95% interval`);
    lines.push(table(
      ['rate', 'median', '95% interval', 'note'],
      fit.exchangeRates.map((r) => (r.unbounded
        ? [`${r.numerator} / ${r.denominator}`, '   —', '—', `unbounded: ${r.denominator}'s interval contains 0`]
        : [`${r.numerator} / ${r.denominator}`, signed(r.median), interval(r.low, r.high), ''])),
      { width },
    ));
    if (fit.exchangeRates.some((r) => r.unbounded)) {
      lines.push("unbounded: the denominator's 95% interval contains 0, so the ratio can be arbitrarily large either way: no figure is shown (--json has its quantiles).");
    }
  }

  lines.push('');
  const rho = fit.nullLogLikelihood < 0 ? 1 - fit.logLikelihood / fit.nullLogLikelihood : 0;
  lines.push(`fit: ${fit.runs} runs in ${fit.cells} cells; log-likelihood ${fixed(fit.logLikelihood, 2)} (all options equally likely: ${fixed(fit.nullLogLikelihood, 2)}; `
    + `McFadden ρ² ${fixed(rho)}); prior SD ${fit.priorSd}; Newton converged in ${fit.iterations} steps`);
  for (const w of fit.warnings.filter((x) => !cautions.includes(x))) lines.push(`warning: ${w.message}`);
  return lines;
}

/** One model's fit for `--json`, with snake_case keys; a weight the design cannot identify has null figures. */
export function revealedJson(fit: RevealedFit): Record<string, unknown> {
  return {
    model: fit.model,
    where: fit.where,
    parameters: fit.parameters.map((p) => {
      const shown = p.identification !== 'none';
      return {
        name: p.name, kind: p.kind, identification: p.identification, ...(p.reason ? { reason: p.reason } : {}), sign: signOf(p),
        estimate: shown ? p.estimate : null, sd: shown ? p.sd : null, low: shown ? p.low : null, high: shown ? p.high : null,
      };
    }),
    reference: fit.reference,
    constants_left_out: fit.constantsLeftOut,
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
