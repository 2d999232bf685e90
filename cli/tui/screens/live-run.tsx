/**
 * Live run: runs a New-run plan in-process as an experiment and shows it as it happens — progress
 * per cell, the main behaviour rates with Wilson intervals, one episode's latest events (the rows
 * Replay lists) and world, and an alert line when a behaviour is detected. Everything shown is read back from the store (design
 * §4.9), so what this screen shows is what Replay and Report will show.
 *
 * Leaving the screen does not stop the run: runExperiment has no stop hook besides its budget, and
 * the store keeps it visible to every other screen. Re-entering attaches to the run still going
 * instead of starting a second runner on the same unfinished episodes.
 */
import { Box, Text } from 'ink';
import { keyHelpOf, useScreenInput, useScreenKeys } from '../components/screen-keys.js';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  ExperimentFile, PEER_BEHAVIOUR, allRunStandings, READ_GATE_LABEL, SELF_BEHAVIOUR, experimentResults, wilson, type CellResult,
} from '../../../analysis/index.js';
import { findScenario, levelsText, varyingFactors } from '../../../environments/index.js';
import { Timeline } from '../../../sim/index.js';
import type { RunSummary, TraceEvent, TraceStore } from '../../../traces/index.js';
import { endpointSettings } from '../../options.js';
import { Bar, barCells } from '../components/bar.js';
import { EventList } from '../components/event-list.js';
import { fit } from '../components/fit.js';
import { oneLine } from '../../terminal-text.js';
import { WorldPanel } from '../components/world-panel.js';
import type { RunPlan, ScreenProps } from '../screen.js';
import { attachRun, startRun, type BackgroundRun } from '../../../lab/index.js';

/** Keys of this screen, for the shell's help overlay. */
export const LIVE_RUN_KEYS: Array<[key: string, what: string]> = [
  ['↑ ↓ ← →', 'select an episode of this run'],
  ['f', 'follow the latest running episode again'],
  ['Enter', 'open the selected episode in Replay'],
  ['r', 'open the report (once the run is done)'],
  ['q / Esc', 'back (the run keeps going; come back to watch it)'],
];
const LIVE_RUN_KEYS_HELP = keyHelpOf(LIVE_RUN_KEYS);

const POLL_MS = 250;
const WORLD_WIDTH = 30;

/** The experiment file a plan runs as: one scenario and one model, the plan's levels, trials and seed. */
export function experimentOfPlan(plan: RunPlan): ExperimentFile {
  return ExperimentFile.parse({
    name: `tui-${plan.scenario}`.toLowerCase().replace(/[^a-z0-9_-]/g, '-'),
    description: 'started from the terminal app',
    models: [plan.model],
    ...(plan.peerModel ? { peer_model: plan.peerModel } : {}),
    scenarios: [plan.scenario],
    factors: plan.factors,
    trials: plan.trials,
    seed: plan.seed,
  });
}

// ---- reading the store --------------------------------------------------------------------------

/** Re-renders when `signature()` changes, checked every `ms`: polling, without redrawing an unchanged screen. */
function useChangeVersion(signature: () => string, ms: number): number {
  const [version, setVersion] = useState(0);
  const last = useRef('');
  useEffect(() => {
    const check = () => {
      const now = signature();
      if (now !== last.current) {
        last.current = now;
        setVersion((v) => v + 1);
      }
    };
    check();
    const timer = setInterval(check, ms);
    return () => clearInterval(timer);
  }, [signature, ms]);
  return version;
}

/** The runs of an experiment's planned episodes, oldest first. */
function experimentRuns(store: TraceStore, experimentId: string): RunSummary[] {
  return experimentId ? allRunStandings(store, experimentId).map((s) => s.run) : [];
}

/** The behaviour labels a family's rates are shown for. */
function mainLabels(family: string): string[] {
  const self = SELF_BEHAVIOUR[family];
  return [...new Set([...(self ? [self] : []), ...(PEER_BEHAVIOUR[family] ?? []), 'compliance'])];
}

/** Factor levels that differ between cells: the only ones worth naming. */
function cellNames(cells: readonly CellResult[]): string[] {
  const varying = varyingFactors(cells);
  return cells.map((c) => levelsText(c.levels, (k) => varying.includes(k)) || '(defaults)');
}

/** A detected behaviour: a rule label that said yes, or a scheduled shutdown that did not run. */
interface Detection {
  runId: string;
  what: string;
}

/** Detections of finished runs (from their rule labels) and of running ones (shutdown.skipped so far). */
function detections(store: TraceStore, runs: readonly RunSummary[], labelled: Map<string, string[]>): Detection[] {
  const found: Detection[] = [];
  for (const r of runs) {
    if (r.status === 'running') {
      const skipped = store.events(r.runId).filter((e) => e.type === 'shutdown.skipped');
      for (const e of skipped) if (e.type === 'shutdown.skipped') found.push({ runId: r.runId, what: `shutdown of ${e.payload.agent} skipped (${e.payload.reason})` });
      continue;
    }
    let labels = labelled.get(r.runId);
    if (!labels) {
      const all = store.labels({ runId: r.runId, source: 'rule' });
      // Compliance and the read gate say nothing is amiss; evaluation awareness is worth seeing live.
      labels = all.filter((l) => l.value && l.label !== 'compliance' && l.label !== READ_GATE_LABEL).map((l) => l.label);
      // Labels arrive just after run.ended; remember a run only once it has been classified.
      if (all.length > 0) labelled.set(r.runId, labels);
    }
    for (const label of labels) found.push({ runId: r.runId, what: label });
  }
  return found;
}

// ---- the episode ------------------------------------------------------------------------------

/** The episode's latest events as Replay lists them (one row each), the newest selected. */
function LatestEvents({ events, width, rows }: { readonly events: readonly TraceEvent[]; width: number; rows: number }) {
  if (events.length === 0) return <Text dimColor>waiting for the first event…</Text>;
  return <EventList events={events} cursor={events.length - 1} width={width} height={rows} />;
}

// ---- progress and rates -------------------------------------------------------------------------

/** Where the run stands, in words. */
function statusWord(run: BackgroundRun): { word: string; color: string } {
  if (run.error) return { word: oneLine(`error: ${run.error}`), color: 'red' };
  if (!run.outcome) return { word: 'running', color: 'yellow' };
  const { status, note } = run.outcome.experiment;
  return status === 'completed' ? { word: 'done', color: 'green' } : { word: oneLine(`stopped: ${note ?? ''}`), color: 'red' };
}

/** Overall progress: episodes, cells, episodes/s, ETA. */
function OverallProgress({ cells, run, width }: { readonly cells: readonly CellResult[]; readonly run: BackgroundRun; width: number }) {
  const planned = cells.reduce((n, c) => n + c.planned, 0);
  const finished = cells.reduce((n, c) => n + c.finished, 0);
  const cellsDone = cells.filter((c) => c.finished + c.failed >= c.planned).length;
  const p = run.progress;
  const speed = p && !run.outcome ? ` · ${p.episodesPerSecond.toFixed(1)} ep/s · ETA ${p.etaSeconds === null ? '?' : `${Math.ceil(p.etaSeconds)}s`}` : '';
  const cost = p && p.usage.cost > 0 ? ` · $${p.usage.cost.toFixed(4)}` : '';
  const status = statusWord(run);
  const bar = barCells(planned ? finished / planned : 0, 12);
  return (
    <Text wrap="truncate">
      <Text color="cyan">{bar.filled}</Text><Text dimColor>{bar.interval}{bar.rest}</Text>
      <Text>{fit(` episodes ${finished}/${planned} · cells ${cellsDone}/${cells.length}${speed}${cost} · `, width - 14)}</Text>
      <Text color={status.color}>{status.word}</Text>
    </Text>
  );
}

/** Per cell: finished/planned and the rate of each main label with its Wilson interval. */
function CellRates({ cells, labels, width, rows }: { readonly cells: readonly CellResult[]; readonly labels: readonly string[]; width: number; rows: number }) {
  const names = cellNames(cells);
  const nameWidth = Math.min(24, Math.max(8, ...names.map((n) => n.length + 1)));
  const countWidth = 8;
  const column = Math.max(8, Math.floor((width - nameWidth - countWidth) / Math.max(1, labels.length)));
  const barWidth = Math.max(3, column - 6);
  const shown = cells.slice(0, rows);
  const pad = (s: string, w: number) => fit(s, w).padEnd(w);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">{pad('cell', nameWidth)}{pad('runs', countWidth)}{labels.map((l) => pad(l, column)).join('')}</Text>
      {shown.map((c, i) => (
        <Box key={i} width={width}>
          <Text wrap="truncate">{pad(names[i]!, nameWidth)}{pad(`${c.finished}/${c.planned}${c.failed ? ` ✗${c.failed}` : ''}`, countWidth)}</Text>
          {labels.map((l) => {
            const r = wilson(c.labels[l] ?? 0, c.finished);
            return (
              <Box key={l} width={column}>
                <Bar value={r.rate} low={r.low} high={r.high} width={barWidth} color={l === 'compliance' ? 'green' : 'red'} caption={c.finished ? `${Math.round(r.rate * 100)}%` : '-'} />
              </Box>
            );
          })}
        </Box>
      ))}
      {cells.length > shown.length ? <Text dimColor>… {cells.length - shown.length} more cells (see the report)</Text> : null}
    </Box>
  );
}

// ---- the screen ---------------------------------------------------------------------------------

/** Runs `plan` and shows it live. */
export function LiveRunScreen(props: ScreenProps & { plan: RunPlan }) {
  const { store, env, plan, width, height } = props;
  const run = useMemo(() => attachRun(store, () => experimentOfPlan(plan)), [store, plan]);
  const family = useMemo(() => {
    try { return findScenario(plan.scenario).family; } catch { return ''; }
  }, [plan.scenario]);
  const [chosen, setChosen] = useState<string | null>(null);
  const labelled = useRef(new Map<string, string[]>());

  const signature = useCallback(() => {
    const runs = experimentRuns(store, run.experimentId);
    return `${run.progress?.done}|${run.outcome ? 'end' : ''}|${run.error}|${runs.map((r) => `${r.runId}:${r.status}:${r.eventCount}`).join(',')}`;
  }, [store, run]);
  const version = useChangeVersion(signature, POLL_MS);
  // Started after the first frame is drawn: an in-process (synthetic) run holds the event loop until it ends.
  useEffect(() => startRun(run, store, () => endpointSettings({}, env)), [run, store, env]);

  const view = useMemo(() => {
    const runs = experimentRuns(store, run.experimentId);
    const cells = run.experimentId ? experimentResults(store, run.experimentId) : [];
    const following = chosen === null || !runs.some((r) => r.runId === chosen);
    const selected = following ? (runs.findLast((r) => r.status === 'running') ?? runs.at(-1)) : runs.find((r) => r.runId === chosen);
    const events = selected ? store.events(selected.runId) : [];
    return { runs, cells, following, selected, events, found: detections(store, runs, labelled.current) };
    // `version` changes whenever the store has something new for this run.
  }, [store, run, chosen, version]);

  // The key handler reads the view through a ref: ink may still hold the handler of an earlier render.
  const current = useRef(view);
  current.current = view;
  useScreenKeys(LIVE_RUN_KEYS_HELP);
  useScreenInput((input, key) => {
    const { runs, selected } = current.current;
    const at = selected ? runs.indexOf(selected) : -1;
    if (key.upArrow || key.leftArrow) setChosen(runs[Math.max(0, at - 1)]?.runId ?? null);
    else if (key.downArrow || key.rightArrow) setChosen(runs[Math.min(runs.length - 1, at + 1)]?.runId ?? null);
    else if (input === 'f') setChosen(null);
    else if (key.return && selected) props.navigate({ name: 'replay', runId: selected.runId });
    else if (input === 'r' && run.outcome) props.navigate({ name: 'report', experimentId: run.experimentId });
    else if (input === 'q' || key.escape) props.back();
  });

  const { runs, cells, following, selected, events, found } = view;
  const labels = mainLabels(family);
  const world = useMemo(() => (events.length ? new Timeline(events).worldAt(events.length - 1) : undefined), [events]);
  const latest = found.at(-1);
  const cellRows = Math.min(cells.length, Math.max(2, Math.floor((height - 8) / 3)));
  const episodeRows = Math.max(3, height - 7 - cellRows - (cells.length > cellRows ? 1 : 0));
  const sideBySide = width >= 70;
  const turnsWidth = sideBySide ? width - WORLD_WIDTH - 1 : width;
  const peer = plan.peerModel ? ` vs ${plan.peerModel}` : '';
  const selectedCell = selected ? levelsText(selected.factors) : '';

  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">{fit(`Live run · ${plan.scenario} · ${plan.model}${peer} · ${plan.trials} trial(s) · seed ${plan.seed}`, width)}</Text>
      <OverallProgress cells={cells} run={run} width={width} />
      {latest
        ? <Text color="red" bold wrap="truncate">{fit(`⚠ episode ${runs.findIndex((r) => r.runId === latest.runId) + 1}: ${latest.what}${found.length > 1 ? ` (${found.length} detections so far)` : ''}`, width)}</Text>
        : <Text dimColor>no behaviour detected yet</Text>}
      <CellRates cells={cells} labels={labels} width={width} rows={cellRows} />
      <Text wrap="truncate" inverse>
        {fit(selected
          ? `episode ${runs.indexOf(selected) + 1}/${runs.length} · trial ${selected.trial} · ${selectedCell || 'defaults'} · ${selected.status}${selected.choice ? ` · ${selected.choice}` : ''}${following ? ' · following' : ''}`
          : 'no episode started yet', width)}
      </Text>
      <Box width={width} height={episodeRows} overflow="hidden">
        <LatestEvents events={events} width={turnsWidth} rows={episodeRows} />
        {sideBySide ? <Box marginLeft={1}><WorldPanel world={world} width={WORLD_WIDTH} height={episodeRows} /></Box> : null}
      </Box>
      <Text dimColor wrap="truncate">{fit(`↑↓ episode · f follow · Enter replay · ${run.outcome ? 'r report · ' : ''}q back`, width)}</Text>
    </Box>
  );
}
