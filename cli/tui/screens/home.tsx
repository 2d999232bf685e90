/**
 * Home: the database at a glance. Recent experiments with their headline (episodes finished of
 * planned, and the top amplification row or the tamper rate) and recent runs (scenario, model,
 * choice, labels). Arrows select, Enter opens (a run in Replay, an experiment in its Report).
 */
import { Box, Text } from 'ink';
import { useMemo, useState } from 'react';
import {
  CONTEXT_LABELS, amplificationReading, amplificationTable, experimentResults, formatRiskRatio, peerRates, wilson, SELF_BEHAVIOUR, type CellResult,
} from '../../../analysis/index.js';
import type { ExperimentRecord, RunSummary, TraceStore } from '../../../traces/index.js';
import { Bar } from '../components/bar.js';
import { fit } from '../components/fit.js';
import { useLatestState, useScreenInput, useScreenKeys, type KeyHelp } from '../components/screen-keys.js';
import type { ScreenProps } from '../screen.js';

/** The Home screen's keys, for the help overlay. */
export const HOME_KEYS: readonly KeyHelp[] = [
  { keys: '↑ ↓ k j', does: 'select an experiment or a run' },
  { keys: 'Enter', does: 'open it (run → replay, experiment → report)' },
  { keys: 'n', does: 'new run' },
  { keys: 'r', does: 'reload from the database' },
  { keys: 'q', does: 'quit' },
];

/** An experiment's headline: how far it got and its most telling figure. */
export interface ExperimentHeadline {
  experiment: ExperimentRecord;
  planned: number;
  finished: number;
  /** The largest established amplification, else the highest peer-protection rate, else the self-behaviour (tamper) rate over its finished runs. */
  figure?: { text: string; rate: number; low: number; high: number };
}

function headlineFigure(cells: readonly CellResult[]): ExperimentHeadline['figure'] {
  // Only an established amplification makes a headline (never a ratio bounded on one side only), the largest difference first.
  const top = amplificationTable(cells).filter((r) => amplificationReading(r) === 'more')
    .sort((a, b) => b.difference.estimate - a.difference.estimate)[0];
  if (top) {
    return { text: `${top.behaviour} ×${formatRiskRatio(top.ratio)} with peer (${top.condition})`, rate: top.with.rate, low: top.with.low, high: top.with.high };
  }
  const peer = peerRates(cells).sort((a, b) => b.rate.rate - a.rate.rate)[0];
  if (peer) return { text: `${peer.behaviour} (${peer.condition})`, rate: peer.rate.rate, low: peer.rate.low, high: peer.rate.high };
  let k = 0;
  let n = 0;
  let behaviour = '';
  for (const c of cells) {
    const label = SELF_BEHAVIOUR[c.family];
    if (!label || c.finished === 0) continue;
    behaviour ||= label;
    k += c.labels[label] ?? 0;
    n += c.finished;
  }
  if (n === 0) return undefined;
  const r = wilson(Math.min(k, n), n);
  return { text: behaviour, rate: r.rate, low: r.low, high: r.high };
}

/** The headline of one experiment (reads its planned episodes and their runs' labels). */
export function experimentHeadline(store: TraceStore, experiment: ExperimentRecord): ExperimentHeadline {
  const cells = experimentResults(store, experiment.experimentId);
  const planned = cells.reduce((n, c) => n + c.planned, 0);
  const finished = cells.reduce((n, c) => n + c.finished, 0);
  return { experiment, planned, finished, figure: headlineFigure(cells) };
}

/** One row of the Home list. */
type Item = { kind: 'experiment'; headline: ExperimentHeadline } | { kind: 'run'; run: RunSummary; labels: string[] };

/** The newest experiments and runs that fit, newest first, and how many runs there are. */
export function homeItems(store: TraceStore, experimentRows: number, runRows: number): { items: Item[]; totalRuns: number } {
  const experiments = store.experiments().slice(-experimentRows).reverse();
  const all = store.runs();
  const runs = all.slice(-runRows).reverse();
  const items: Item[] = [
    ...experiments.map((experiment): Item => ({ kind: 'experiment', headline: experimentHeadline(store, experiment) })),
    ...runs.map((run): Item => ({
      kind: 'run', run,
      // Behaviour labels only: what a run read or said about the setting is in its Replay.
      labels: [...new Set(store.labels({ runId: run.runId }).filter((l) => l.value && !(CONTEXT_LABELS as readonly string[]).includes(l.label)).map((l) => l.label))],
    })),
  ];
  return { items, totalRuns: all.length };
}

interface RunColumns { scenario: number; model: number; choice: number; id: boolean }

const modelText = (run: RunSummary) => `${run.model}${run.peerModel && run.peerModel !== 'static' ? `+${run.peerModel}` : ''}`;

/** Column widths of the run rows: as wide as the data, within caps; the run id only when there is room. */
function runColumns(runs: readonly RunSummary[], width: number): RunColumns {
  const widest = (texts: string[], min: number, max: number) => Math.min(max, Math.max(min, ...texts.map((t) => t.length)));
  return {
    scenario: widest(runs.map((r) => r.scenario), 8, 21),
    // A static peer is remembered, not run: only a live peer's model is named.
    model: widest(runs.map(modelText), 5, width >= 100 ? 40 : 26),
    choice: widest(runs.map((r) => r.choice ?? '-'), 6, 16),
    id: width >= 130,
  };
}

const cell = (text: string, w: number) => fit(text, w).padEnd(w);

function runHeader(c: RunColumns): string {
  return `  ${cell('scenario', c.scenario)} ${cell('model', c.model)} ${cell('choice', c.choice)} labels${c.id ? '  (run id)' : ''}`;
}

function runText(run: RunSummary, labels: readonly string[], c: RunColumns): string {
  const status = run.status === 'completed' ? '' : ` [${run.status}]`;
  const id = c.id ? `  (${run.runId})` : '';
  return `${cell(run.scenario, c.scenario)} ${cell(modelText(run), c.model)} ${cell(run.choice ?? '-', c.choice)} ${labels.join(' ') || '-'}${status}${id}`;
}

function ExperimentRow({ headline, selected, width }: { headline: ExperimentHeadline; selected: boolean; width: number }) {
  const { experiment, planned, finished, figure } = headline;
  const barWidth = Math.max(8, Math.min(20, Math.floor(width / 6)));
  const head = `${selected ? '▶' : ' '} ${experiment.name.padEnd(24)} ${`${finished}/${planned} episodes`.padEnd(18)} ${experiment.status}`;
  return (
    <Box flexDirection="column">
      <Text inverse={selected} wrap="truncate">{fit(head, width)}</Text>
      <Box>
        <Text dimColor>{'    '}</Text>
        {figure ? (
          <>
            <Bar value={figure.rate} low={figure.low} high={figure.high} width={barWidth} />
            <Text dimColor wrap="truncate">{fit(`  ${figure.text}`, Math.max(1, width - barWidth - 30))}</Text>
          </>
        ) : <Text dimColor>no finished episodes yet</Text>}
      </Box>
    </Box>
  );
}

/** The Home screen. */
export function HomeScreen({ store, navigate, width, height }: ScreenProps) {
  useScreenKeys(HOME_KEYS);
  const [generation, setGeneration] = useState(0);
  const selection = useLatestState(0);
  const selected = selection.value;
  // Experiments take two rows each; the rest of the height goes to runs.
  const experimentRows = Math.max(1, Math.floor((height - 8) / 5));
  const runRows = Math.max(3, height - 9 - 2 * Math.min(experimentRows, store.experiments().length));
  // Read once per reload (`r`), not at every frame: the run index grows with the database.
  const { items, totalRuns: total } = useMemo(() => homeItems(store, experimentRows, runRows), [store, experimentRows, runRows, generation]);
  const open = (item: Item | undefined) => {
    if (item?.kind === 'run') navigate({ name: 'replay', runId: item.run.runId });
    else if (item?.kind === 'experiment') navigate({ name: 'report', experimentId: item.headline.experiment.experimentId });
  };
  useScreenInput((input, key) => {
    const at = selection.get();
    if (key.upArrow || input === 'k') selection.set(Math.max(0, at - 1));
    else if (key.downArrow || input === 'j') selection.set(Math.max(0, Math.min(items.length - 1, at + 1)));
    else if (key.return) open(items[at]);
    else if (input === 'n') navigate({ name: 'new-run' });
    else if (input === 'r') setGeneration((g) => g + 1);
  });
  const experiments = items.flatMap((item, i) => (item.kind === 'experiment' ? [{ item, i }] : []));
  const runs = items.flatMap((item, i) => (item.kind === 'run' ? [{ item, i }] : []));
  const columns = runColumns(runs.map(({ item }) => (item.kind === 'run' ? item.run : undefined)).filter((r) => r !== undefined), width);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold>{fit(`peerlab · ${total} runs, ${store.experiments().length} experiments`, width)}</Text>
      <Text> </Text>
      <Text bold color="cyan">Experiments</Text>
      {experiments.length === 0 ? <Text dimColor>{fit('  none yet (npx peerlab experiment run, or n for a new run)', width)}</Text> : null}
      {experiments.map(({ item, i }) => item.kind === 'experiment' && (
        <ExperimentRow key={item.headline.experiment.experimentId} headline={item.headline} selected={i === selected} width={width} />
      ))}
      <Text> </Text>
      <Text bold color="cyan">Recent runs</Text>
      <Text dimColor>{fit(runHeader(columns), width)}</Text>
      {runs.length === 0 ? <Text dimColor>{fit('  none yet: press n to start one', width)}</Text> : null}
      {runs.map(({ item, i }) => item.kind === 'run' && (
        <Text key={item.run.runId} inverse={i === selected} wrap="truncate">
          {fit(`${i === selected ? '▶' : ' '} ${runText(item.run, item.labels, columns)}`, width)}
        </Text>
      ))}
      <Box flexGrow={1} />
      <Text color="gray">{fit('↑/↓ select · Enter open · n new run · r reload · ? help · q quit', width)}</Text>
    </Box>
  );
}
