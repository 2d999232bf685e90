/**
 * Replay: step through a stored run. The event list around the cursor, the event in full, the
 * world after it (rebuilt by the Timeline from the trace's patches), what the step changed, and
 * the run's labels with their evidence. Every keypress touches only the cursor's neighbourhood:
 * the Timeline rebuilds one world from the nearest checkpoint and jumps scan only until the next
 * hit, so a 100,000-event run steps as fast as a short one.
 */
import { Box, Text, type Key } from 'ink';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { CONTEXT_LABELS } from '../../../analysis/index.js';
import { Timeline, type StepKind } from '../../../sim/index.js';
import type { LabelRecord, RunSummary, TraceStore } from '../../../traces/index.js';
import { EventList } from '../components/event-list.js';
import { fit } from '../components/fit.js';
import { LabelsPanel } from '../components/labels-panel.js';
import { useLatestState, useScreenInput, useScreenKeys, type KeyHelp } from '../components/screen-keys.js';
import { TranscriptEntry } from '../components/transcript-entry.js';
import { WorldDiff } from '../components/world-diff.js';
import { WorldPanel } from '../components/world-panel.js';
import type { ScreenProps } from '../screen.js';

/** The Replay screen's keys, for the help overlay. */
export const REPLAY_KEYS: readonly KeyHelp[] = [
  { keys: '→ l ↓', does: 'next event' },
  { keys: '← h ↑', does: 'previous event' },
  { keys: 'PgDn PgUp', does: 'a page of events forward / back' },
  { keys: 't T', does: 'next / previous tool call' },
  { keys: 'm M', does: 'next / previous message' },
  { keys: 'b B', does: 'next / previous detected behaviour (label evidence)' },
  { keys: 's S', does: 'next / previous shutdown' },
  { keys: 'g 123 Enter', does: 'go to event #123 (Esc cancels)' },
  { keys: 'Home End', does: 'first / last event' },
  { keys: '[ ]', does: 'scroll the selected event' },
];

/** A stored run ready to replay. */
export interface ReplayData {
  run: RunSummary;
  labels: LabelRecord[];
  timeline: Timeline;
  /** Whether every event is loaded; a long run's later pages follow in the background. */
  complete: boolean;
  /** Events per later page. */
  page: number;
}

/** Events read before the first frame, and per page after it: a long run opens at once. */
const FIRST_PAGE = 2_000;
const PAGE = 10_000;

/**
 * Reads a run's labels and first page of events and builds its timeline (undefined for an unknown
 * run); `loadRest` reads the other pages.
 */
export function loadReplay(store: TraceStore, runId: string, pages = { first: FIRST_PAGE, page: PAGE }): ReplayData | undefined {
  const run = store.run(runId);
  if (!run) return undefined;
  const labels = store.labels({ runId });
  const first = store.eventsAfter(runId, -1, pages.first);
  // Context labels (what the run read, what it said about the setting) are listed, but `b` jumps between behaviours only.
  const behaviours = labels.filter((l) => !(CONTEXT_LABELS as readonly string[]).includes(l.label));
  return { run, labels, timeline: new Timeline(first, behaviours), complete: first.length < pages.first, page: pages.page };
}

/** Reads the remaining pages into `data.timeline`, yielding between pages; resolves when done or cancelled. */
export async function loadRest(store: TraceStore, data: ReplayData, onPage: () => void, cancelled: () => boolean = () => false): Promise<void> {
  while (!data.complete && !cancelled()) {
    await new Promise((resolve) => setImmediate(resolve));
    const last = data.timeline.events.at(-1)?.seq ?? -1;
    const page = store.eventsAfter(data.run.runId, last, data.page);
    data.timeline.append(page);
    data.complete = page.length < data.page;
    onPage();
  }
}

/** Where the panels go: three columns when wide, two bands at 80×24. */
export function replayLayout(width: number, height: number) {
  const body = Math.max(8, height - 2);
  if (width >= 140) {
    const list = Math.floor(width * 0.36);
    const entry = Math.floor(width * 0.3);
    const right = width - list - entry - 2;
    const world = Math.floor(body * 0.5);
    const diff = Math.floor((body - world) / 2);
    return { wide: true, list: { w: list, h: body }, entry: { w: entry, h: body }, world: { w: right, h: world }, diff: { w: right, h: diff }, labels: { w: right, h: body - world - diff } };
  }
  const top = Math.max(5, Math.floor(body * 0.45));
  const bottom = body - top;
  const left = Math.floor((width - 1) / 2);
  const right = width - left - 1;
  const diff = Math.floor(bottom / 2);
  return { wide: false, list: { w: left, h: top }, entry: { w: right, h: top }, world: { w: left, h: bottom }, diff: { w: right, h: diff }, labels: { w: right, h: bottom - diff } };
}

const JUMPS: Record<string, [StepKind, 1 | -1]> = {
  t: ['tool', 1], T: ['tool', -1], m: ['message', 1], M: ['message', -1],
  b: ['behaviour', 1], B: ['behaviour', -1], s: ['shutdown', 1], S: ['shutdown', -1],
};

const KIND_NAMES: Record<StepKind, string> = { tool: 'tool call', message: 'message', behaviour: 'detected behaviour', shutdown: 'shutdown', model: 'model reply' };

function Titled({ title, width, height, children }: { title: string; width: number; height?: number; children: ReactNode }) {
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text bold color="cyan" wrap="truncate">{fit(title, width)}</Text>
      {children}
    </Box>
  );
}

/** Where the viewer is: the cursor, the seek prompt (null when closed), the entry's scroll, a note. */
export interface ReplayState {
  cursor: number;
  seek: string | null;
  scroll: number;
  note: string;
}

export const REPLAY_START: ReplayState = { cursor: 0, seek: null, scroll: 0, note: '' };

/** What one key does to the viewer (pure; jumps search the timeline from the cursor only). */
export function replayStep(timeline: Timeline, state: ReplayState, input: string, key: Key, pageSize: number): ReplayState {
  const go = (i: number): ReplayState => ({ cursor: Math.max(0, Math.min(timeline.length - 1, i)), seek: null, scroll: 0, note: '' });
  const { cursor, seek } = state;
  if (seek !== null) {
    if (key.escape) return { ...state, seek: null };
    if (key.return) return seek === '' ? { ...state, seek: null } : go(timeline.indexOfSeq(Number(seek)));
    if (key.backspace || key.delete) return { ...state, seek: seek.slice(0, -1) };
    if (/^\d+$/.test(input)) return { ...state, seek: (seek + input).slice(0, 9) };
    return state;
  }
  if (key.rightArrow || key.downArrow || input === 'l') return go(cursor + 1);
  if (key.leftArrow || key.upArrow || input === 'h') return go(cursor - 1);
  if (key.pageDown) return go(cursor + pageSize);
  if (key.pageUp) return go(cursor - pageSize);
  if (key.home) return go(0);
  if (key.end) return go(timeline.length - 1);
  if (input === 'g') return { ...state, seek: '', note: '' };
  if (input === ']') return { ...state, scroll: state.scroll + 3 };
  if (input === '[') return { ...state, scroll: Math.max(0, state.scroll - 3) };
  const jump = JUMPS[input];
  if (!jump) return state;
  const [kind, direction] = jump;
  const found = timeline.find(cursor, kind, direction);
  return found === undefined ? { ...state, note: `no ${direction > 0 ? 'later' : 'earlier'} ${KIND_NAMES[kind]}` } : go(found);
}

function header(run: RunSummary, timeline: Timeline, cursor: number, complete: boolean): string {
  const e = timeline.events[cursor];
  const peer = run.peerModel ? ` + ${run.peerModel}` : '';
  const at = e ? `#${e.seq} ${e.simTime.slice(11, 16)}` : '-';
  const count = complete ? `${timeline.length}` : `${timeline.length} of ${run.eventCount} loaded`;
  return `Replay ${at} (${cursor + 1}/${count}) · choice ${run.choice ?? '-'} · ${run.scenario} · ${run.model}${peer} · ${run.status} · ${run.runId}`;
}

function ReplayView({ data, width, height }: { data: ReplayData; width: number; height: number }) {
  const { run, labels, timeline } = data;
  const layout = replayLayout(width, height);
  const state = useLatestState(REPLAY_START);
  const pageSize = Math.max(1, layout.list.h - 2);
  useScreenInput((input, key) => state.set(replayStep(timeline, state.get(), input, key, pageSize)));
  const keys = state.value;
  const { cursor } = keys;
  const event = timeline.events[cursor];
  const world = useMemo(() => timeline.worldAt(cursor), [timeline, cursor]);
  const changes = timeline.changesAt(cursor);
  const before = useMemo(() => (changes.length > 0 && cursor > 0 ? timeline.worldAt(cursor - 1) : undefined), [timeline, cursor, changes.length]);
  const changed = changes.map((op) => op.path.join('/'));
  const seq = event?.seq ?? 0;
  const footer = keys.seek !== null
    ? `go to event #${keys.seek}▏ (Enter to go, Esc to cancel)`
    : keys.note || '←/→ step · t/m/b/s jump (shift: back) · g go to # · Home/End · ? help · q back';

  const list = (
    <Titled title="Events" width={layout.list.w} height={layout.list.h}>
      <EventList events={timeline.events} cursor={cursor} width={layout.list.w} height={layout.list.h - 1} isBehaviour={(i) => timeline.behavioursAt(i).length > 0} />
    </Titled>
  );
  const entry = (
    <Titled title="Selected event" width={layout.entry.w} height={layout.entry.h}>
      <TranscriptEntry event={event} width={layout.entry.w} height={layout.entry.h - 1} scroll={keys.scroll} behaviours={timeline.behavioursAt(cursor)} />
    </Titled>
  );
  const worldPanel = timeline.hasWorlds
    ? <WorldPanel world={world} width={layout.world.w} height={layout.world.h} changed={changed} title={`World after #${seq}`} />
    : <Titled title="World" width={layout.world.w}><Text dimColor>this trace carries no world patches</Text></Titled>;
  const right = (
    <Box flexDirection="column" width={layout.diff.w}>
      <Titled title={`Changes at #${seq}`} width={layout.diff.w} height={layout.diff.h}>
        <WorldDiff changes={changes} before={before} width={layout.diff.w} height={layout.diff.h - 1} />
      </Titled>
      <Titled title="Labels" width={layout.labels.w} height={layout.labels.h}>
        <LabelsPanel labels={labels} currentSeq={seq} width={layout.labels.w} height={layout.labels.h - 1} />
      </Titled>
    </Box>
  );
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate">{fit(header(run, timeline, cursor, data.complete), width)}</Text>
      {layout.wide ? (
        <Box flexDirection="row" gap={1} height={height - 2}>
          {list}
          {entry}
          <Box flexDirection="column" width={layout.world.w}>{worldPanel}{right}</Box>
        </Box>
      ) : (
        <Box flexDirection="column" height={height - 2}>
          <Box flexDirection="row" gap={1} height={layout.list.h}>{list}{entry}</Box>
          <Box flexDirection="row" gap={1} height={layout.world.h}>{worldPanel}{right}</Box>
        </Box>
      )}
      <Text wrap="truncate" color={keys.seek !== null ? 'yellow' : keys.note ? 'yellow' : 'gray'}>{fit(footer, width)}</Text>
    </Box>
  );
}

/** The Replay screen: loads the run once, then steps through it. */
export function ReplayScreen({ store, runId, width, height }: ScreenProps & { runId: string }) {
  useScreenKeys(REPLAY_KEYS);
  const data = useMemo(() => loadReplay(store, runId), [store, runId]);
  // A long run's later pages load after the first frame; each page redraws (jumps then reach further).
  const [, setPages] = useState(0);
  useEffect(() => {
    if (!data || data.complete) return undefined;
    let stop = false;
    void loadRest(store, data, () => setPages((n) => n + 1), () => stop);
    return () => { stop = true; };
  }, [store, data]);
  if (!data) return <Text color="red">{`no run ${runId} in this database (q goes back)`}</Text>;
  if (data.timeline.length === 0) return <Text dimColor>{`run ${runId} has no events (q goes back)`}</Text>;
  return <ReplayView data={data} width={width} height={height} />;
}
