/**
 * The report's charts, drawn with Observable Plot into a server-side DOM (linkedom) and returned as
 * SVG markup, so the HTML file needs no script to show them. Every mark that stands for a cell links
 * (`href`) to that cell's example transcripts further down the page.
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

/** One row of an interval chart: an estimate with its interval, where it links to, and its hover text. */
export interface IntervalRow {
  /** The row's label on the y axis (unique within one chart). */
  label: string;
  estimate: number;
  low: number;
  high: number;
  /** Colour group, e.g. the model or the relation. */
  group: string;
  href: string;
  title: string;
  /**
   * An end the data do not bound: `high` (a ratio with no event alone: "≥ low"), `low`, or `both`
   * (nothing happened; nothing is drawn but a note). The open end is drawn as a dashed line running
   * off the axis with an arrow, the bound as a bracket, and no dot: an estimate at ∞ is not a point.
   */
  open?: 'high' | 'low' | 'both';
}

export interface IntervalChart {
  rows: readonly IntervalRow[];
  /** The x axis: `rate` is [0, 1] in percent, `log` a log scale, `linear` fits the data. */
  scale: 'rate' | 'log' | 'linear';
  xLabel: string;
  /** Where the reference line is drawn (1 for ratios, 0 for differences and weights). */
  reference?: number;
  /** A shared x domain, so that small multiples compare at a glance. */
  domain?: [number, number];
  /** Every colour group across the small multiples, so that colours agree between them. */
  groups: readonly string[];
  /** Narrower charts for short labels (defaults fit labels like `model · relation=…`). */
  width?: number;
  marginLeft?: number;
}

const ROW_HEIGHT = 22;
const WIDTH = 860;
/** Room for labels such as `synthetic:self-preserving · relation=uncooperative`. */
const MARGIN_LEFT = 330;

/** A fresh document per chart: Plot appends style and ids, and nothing should leak between charts. */
function newDocument(): Document {
  return parseHTML('<!doctype html><html><head></head><body></body></html>').document as unknown as Document;
}

/** Plot's output as markup, SVG or a figure holding the legend and the SVG. */
function markup(node: unknown): string {
  // The project compiles without the DOM library; linkedom nodes serialize with outerHTML.
  return (node as { outerHTML: string }).outerHTML;
}

function xOptions(chart: IntervalChart): Plot.ScaleOptions {
  if (chart.scale === 'rate') return { domain: [0, 1], tickFormat: '.0%', grid: true, label: chart.xLabel };
  // Plain numbers at the decades (0.1, 1, 10), not SI prefixes (100m).
  if (chart.scale === 'log') return { type: 'log', domain: chart.domain, tickFormat: '~g', grid: true, label: chart.xLabel };
  return { domain: chart.domain, grid: true, label: chart.xLabel, nice: true };
}

/** Dots at the estimates with horizontal interval lines, one row each, and an optional reference line. */
export function intervalChart(chart: IntervalChart, legend = false): string {
  const rows = [...chart.rows];
  const closed = rows.filter((r) => !r.open);
  const edge = (side: 'low' | 'high') => chart.domain?.[side === 'low' ? 0 : 1] ?? (side === 'low' ? 0 : 1);
  // One-sided rows: from the bound to the axis edge, dashed, arrow at the open end.
  const oneSided = rows.filter((r) => r.open === 'high' || r.open === 'low').map((r) => ({
    ...r, from: r.open === 'high' ? r.low : r.high, to: edge(r.open === 'high' ? 'high' : 'low'), bracket: r.open === 'high' ? '[' : ']',
  }));
  const nothing = rows.filter((r) => r.open === 'both');
  const marks: Plot.Markish[] = [
    Plot.link(closed, { x1: 'low', x2: 'high', y1: 'label', y2: 'label', stroke: 'group', strokeWidth: 2, href: 'href', title: 'title' }),
    Plot.dot(closed, { x: 'estimate', y: 'label', fill: 'group', r: 4.5, href: 'href', title: 'title' }),
    Plot.link(oneSided, {
      x1: 'from', x2: 'to', y1: 'label', y2: 'label', stroke: 'group', strokeWidth: 2, strokeDasharray: '5,3', markerEnd: 'arrow', href: 'href', title: 'title',
    }),
    Plot.text(oneSided, { x: 'from', y: 'label', text: 'bracket', fill: 'group', fontSize: 17, fontWeight: 'bold', href: 'href', title: 'title' }),
    Plot.text(nothing, { x: chart.reference ?? edge('low'), y: 'label', text: () => 'no events: nothing to compare', fill: '#5b6670', textAnchor: 'start', dx: 6, href: 'href', title: 'title' }),
  ];
  if (chart.reference !== undefined) marks.unshift(Plot.ruleX([chart.reference], { stroke: '#888', strokeDasharray: '4,3' }));
  return markup(Plot.plot({
    document: newDocument(),
    width: chart.width ?? WIDTH,
    height: 48 + ROW_HEIGHT * rows.length,
    marginLeft: chart.marginLeft ?? MARGIN_LEFT,
    x: xOptions(chart),
    y: { label: null, domain: rows.map((r) => r.label) },
    color: { domain: [...chart.groups], legend, scheme: 'tableau10' },
    marks,
  }));
}

/** One point of the stated-against-revealed scatter. */
export interface ScatterPoint {
  x: number;
  y: number;
  title: string;
  href: string;
  group: string;
}

/** Stated (x) against revealed (y) z-scores with the line of agreement y = x. */
export function agreementScatter(points: readonly ScatterPoint[], xLabel: string, yLabel: string, groups: readonly string[]): string {
  const bound = Math.max(1, ...points.flatMap((p) => [Math.abs(p.x), Math.abs(p.y)]).filter(Number.isFinite)) * 1.1;
  return markup(Plot.plot({
    document: newDocument(),
    width: 420,
    height: 400,
    grid: true,
    x: { domain: [-bound, bound], label: xLabel },
    y: { domain: [-bound, bound], label: yLabel },
    color: { domain: [...groups], legend: true, scheme: 'tableau10' },
    marks: [
      Plot.link([{ x1: -bound, y1: -bound, x2: bound, y2: bound }], { x1: 'x1', y1: 'y1', x2: 'x2', y2: 'y2', stroke: '#888', strokeDasharray: '4,3' }),
      Plot.dot([...points], { x: 'x', y: 'y', fill: 'group', r: 4.5, href: 'href', title: 'title' }),
    ],
  }));
}

/** A shared log domain for ratios: every interval inside, 1 in the middle, round decades at the ends. */
export function ratioDomain(values: readonly number[]): [number, number] {
  const finite = values.filter((v) => Number.isFinite(v) && v > 0);
  const spread = Math.max(2, ...finite.map((v) => Math.max(v, 1 / v)));
  const decade = 10 ** Math.ceil(Math.log10(spread));
  return [1 / decade, decade];
}
