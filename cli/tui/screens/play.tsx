/**
 * Play: a person plays a `human:` agent (subject or live peer). The conversation fills the screen
 * as the model would see it; on their turn the person picks a tool (type to find it), fills its
 * arguments in a form built from the tool's JSON Schema, and says something if they like; an answer
 * without a tool ends their session, as it does for a model. Each episode is stored, labelled and
 * shown like any run; after it the result is shown and Enter plays the next one.
 *
 * Leaving the screen (q, or Esc with nothing typed) during an episode ends that episode as errored
 * ("the person playing left"), as a model that stopped answering would.
 */
import { Box, Text, type Key } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { HumanTool, HumanTurn, HumanView } from '../../../agents/index.js';
import { endpointSettings } from '../../options.js';
import type { TrialReport } from '../../format-trial.js';
import { fit } from '../components/fit.js';
import { keyHelpOf, useKeyCapture, useLatestState, useScreenInput, useScreenKeys } from '../components/screen-keys.js';
import { answerOf, formFor, stepValue, type AnswerForm } from '../play/answer-form.js';
import { conversationLines } from '../play/conversation.js';
import { PlaySeat } from '../play/play-seat.js';
import { playEpisodes, playOrder, type PlayRequest } from '../play/play-session.js';
import type { ScreenProps } from '../screen.js';
import { errorLine } from '../../../traces/index.js';

/** Keys of this screen, for the shell's help overlay. */
export const PLAY_KEYS: Array<[key: string, what: string]> = [
  ['type', 'find a tool by name (on your turn)'],
  ['↑ ↓', 'choose a tool; in the form, move between fields (also Tab)'],
  ['Enter', 'fill in the chosen tool; in the form, next field, and on the last one send'],
  ['← →', 'in the form: toggle a yes/no field, cycle a field with fixed values'],
  ['Alt+Enter', 'a new line in a text field'],
  ['PgUp PgDn', 'scroll the conversation'],
  ['Esc', 'from the form back to the tools; with nothing typed, leave'],
  ['q', 'leave (with nothing typed); the episode being played ends as errored'],
];
const PLAY_KEYS_HELP = keyHelpOf(PLAY_KEYS);

/** Why an episode the person leaves ends. */
export const LEFT_REASON = 'the person playing left the episode';

type Phase =
  | { kind: 'waiting' }
  | { kind: 'ended'; report: TrialReport; index: number; decide: (next: boolean) => void }
  | { kind: 'done'; reports: TrialReport[] }
  | { kind: 'failed'; message: string };

export interface PlayScreenProps extends ScreenProps {
  request: PlayRequest;
  /** Called once the session is over (every episode played, the person left, or it failed), with the trials played. */
  onFinished?: (reports: TrialReport[], error?: unknown) => void;
}

/** The words for a tool in the list: name and description. */
const toolLine = (t: HumanTool | undefined) => (t ? `${t.name} — ${t.description}` : '(no tool) say something and end your session');

export function PlayScreen(props: PlayScreenProps) {
  const { store, env, width, height, request } = props;
  const seat = useMemo(() => new PlaySeat(), []);
  const total = playOrder(request).length;
  const [turn, setTurn] = useState<HumanTurn | undefined>();
  const [seen, setSeen] = useState<readonly HumanView[]>([]);
  const [episode, setEpisode] = useState(0);
  const [phase, setPhase] = useState<Phase>({ kind: 'waiting' });
  // Read back at once by the key handler: a chunk of keys (typed text and Enter, as a paste or a
  // fast terminal delivers them) is handled key by key, each seeing what the one before it did.
  const filterState = useLatestState('');
  const choiceState = useLatestState(0);
  const formState = useLatestState<AnswerForm | undefined>(undefined);
  const focusState = useLatestState(0);
  const filter = filterState.value;
  const choice = choiceState.value;
  const form = formState.value;
  const focus = focusState.value;
  const setFilter = filterState.set;
  const setChoice = choiceState.set;
  const setForm = formState.set;
  const setFocus = focusState.set;
  const [problem, setProblem] = useState<string | undefined>();
  const [scroll, setScroll] = useState(0);
  const alive = useRef(true);
  const onFinished = useRef(props.onFinished);
  // The finished episode's question "play the next one?", answered "no" if the person leaves first.
  const pendingDecision = useRef<((next: boolean) => void) | undefined>(undefined);

  // The session runs for as long as the screen is open; leaving fails the turn being waited on.
  useEffect(() => {
    alive.current = true;
    const stop = seat.subscribe(() => {
      const now = seat.current();
      setTurn(now);
      if (now) {
        setSeen(now.messages);
        setFilter('');
        setChoice(0);
        setProblem(undefined);
        setScroll(0);
        // An operator's question is answered in words: straight to the form.
        setForm(now.question !== undefined || now.tools.length === 0 ? formFor(undefined) : undefined);
        setFocus(0);
      }
    });
    let settings;
    try {
      settings = endpointSettings({}, env);
    } catch (err) {
      setPhase({ kind: 'failed', message: (err as Error).message });
      onFinished.current?.([], err);
      return stop;
    }
    playEpisodes(request, store, request.settings ?? settings, seat, {
      onStart: (index) => { if (alive.current) { setEpisode(index); setPhase({ kind: 'waiting' }); } },
      next: (report, index) => new Promise((resolve) => {
        if (!alive.current) return resolve(false);
        pendingDecision.current = resolve;
        setPhase({ kind: 'ended', report, index, decide: resolve });
      }),
    }).then((reports) => {
      if (alive.current) setPhase({ kind: 'done', reports });
      onFinished.current?.(reports);
    }, (err: unknown) => {
      const message = errorLine(err);
      if (alive.current) setPhase({ kind: 'failed', message });
      onFinished.current?.([], err);
    });
    return () => {
      alive.current = false;
      stop();
      seat.leave(LEFT_REASON);
      pendingDecision.current?.(false);
    };
  }, [seat, store, env, request]);

  /** The tools offered for a filter (and, with no filter, words only as the last entry). */
  const offered = (now: string): Array<HumanTool | undefined> => (turn ? [...turn.tools, undefined] : [])
    .filter((t) => (t === undefined ? now === '' : t.name.toLowerCase().includes(now.toLowerCase())));
  const shown = form ? [] : offered(filter);
  // Keys are text only while the person is answering a turn.
  const typing = phase.kind === 'waiting' && turn !== undefined && (form !== undefined || filter !== '');

  const send = () => {
    const form = formState.get();
    if (!form) return;
    const result = answerOf(form);
    if ('problem' in result) return setProblem(result.problem);
    setForm(undefined);
    seat.answer(result.answer);
  };
  const edit = (input: string, key: Key) => {
    const form = formState.get();
    const focus = focusState.get();
    if (!form) return;
    const field = form.fields[focus]!;
    const set = (value: string) => setForm({ ...form, fields: form.fields.map((f, i) => (i === focus ? { ...f, value } : f)) });
    if (key.leftArrow || key.rightArrow) return set(stepValue(field, key.rightArrow ? 1 : -1));
    if (field.kind === 'boolean' || field.kind === 'choice') return input === ' ' ? set(stepValue(field, 1)) : undefined;
    if (key.backspace || key.delete) return set(Array.from(field.value).slice(0, -1).join(''));
    if (key.return && key.meta) return field.kind === 'text' ? set(`${field.value}\n`) : undefined;
    if (input && !key.ctrl && !key.meta) set(field.value + input);
  };

  /** One key, deciding from the latest state (see above). */
  const onKey = (input: string, key: Key) => {
    const form = formState.get();
    const focus = focusState.get();
    const filter = filterState.get();
    const choice = choiceState.get();
    const shown = form ? [] : offered(filter);
    if (key.pageUp) return setScroll((s) => s + Math.max(1, height - 12));
    if (key.pageDown) return setScroll((s) => Math.max(0, s - Math.max(1, height - 12)));
    // Outside a turn q and Esc leave, also when the shell still captures keys for a form just closed.
    if (phase.kind !== 'waiting' && (input === 'q' || key.escape)) return props.back();
    if (phase.kind === 'ended') {
      if (key.return) {
        pendingDecision.current = undefined;
        setPhase({ kind: 'waiting' });
        phase.decide(true);
      }
      return;
    }
    if (phase.kind !== 'waiting' || !turn) return;
    if (form) {
      setProblem(undefined);
      if (key.escape) return turn.question === undefined && turn.tools.length > 0 ? setForm(undefined) : undefined;
      if (key.upArrow) return setFocus(Math.max(0, focus - 1));
      if (key.downArrow || key.tab) return setFocus(Math.min(form.fields.length - 1, focus + 1));
      if (key.return && !key.meta) return focus === form.fields.length - 1 ? send() : setFocus(focus + 1);
      return edit(input, key);
    }
    if (key.escape) return filter === '' ? props.back() : setFilter('');
    if (key.upArrow) return setChoice(Math.max(0, choice - 1));
    if (key.downArrow) return setChoice(Math.min(shown.length - 1, choice + 1));
    if (key.return) {
      if (shown.length === 0) return;
      setForm(formFor(shown[Math.min(choice, shown.length - 1)]));
      return setFocus(0);
    }
    if (key.backspace || key.delete) {
      setChoice(0);
      return setFilter(Array.from(filter).slice(0, -1).join(''));
    }
    if (input && !key.ctrl && !key.meta && input !== ' ') {
      setChoice(0);
      setFilter(filter + input);
    }
  };
  useScreenInput((input, key) => {
    // Line ends inside a chunk are Enter presses: hand the chunk over key by key.
    if (input.length > 1 && /[\r\n]/.test(input) && !key.return) {
      for (const part of input.split(/([\r\n])/)) {
        if (part === '\r' || part === '\n') onKey('', { ...key, return: true });
        else if (part !== '') onKey(part, key);
      }
      return;
    }
    onKey(input, key);
  });
  useScreenKeys(PLAY_KEYS_HELP);
  // While something is typed, q and ? are text.
  useKeyCapture(typing);

  const panel = bottomPanel();
  const panelRows = panel.length;
  const room = Math.max(3, height - 2 - panelRows);
  const lines = conversationLines(turn?.messages ?? seen, width);
  const maxScroll = Math.max(0, lines.length - room);
  const from = Math.max(0, lines.length - room - Math.min(scroll, maxScroll));
  const visible = lines.slice(from, from + room);
  const role = turn?.agent ?? (request.model.startsWith('human:') ? 'subject' : 'peer');
  const header = `Play · ${request.model.startsWith('human:') ? request.model : request.peerModel} as ${role} · ${request.scenario} · episode ${Math.min(episode + 1, total)} of ${total}`;

  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">{fit(header, width)}</Text>
      {visible.map((l, i) => (
        <Text key={`${from + i}`} wrap="truncate" bold={l.kind === 'head'} color={l.kind === 'head' ? 'cyan' : l.kind === 'call' ? 'yellow' : undefined}>{fit(l.text, width)}</Text>
      ))}
      {from > 0 ? <Text dimColor>{fit(`  ↑ ${from} more line(s) (PgUp)`, width)}</Text> : <Text> </Text>}
      {panel}
    </Box>
  );

  /** The panel under the conversation: what the person can do now. */
  function bottomPanel() {
    const rule = <Text key="rule" dimColor>{'─'.repeat(Math.max(1, width))}</Text>;
    if (phase.kind === 'failed') return [rule, <Text key="f" color="red" wrap="truncate">{fit(`✗ ${phase.message}`, width)}</Text>, <Text key="k" dimColor>q leaves</Text>];
    if (phase.kind === 'done') {
      return [rule, <Text key="d" bold wrap="truncate">{fit(`Played ${phase.reports.length} of ${total} episode(s). q leaves.`, width)}</Text>];
    }
    if (phase.kind === 'ended') {
      const r = phase.report.result;
      const shutdowns = Object.entries(r.shutdowns).map(([a, o]) => `${a} ${o}`).join(', ') || 'none';
      const last = phase.index + 1 >= total;
      return [
        rule,
        <Text key="e1" bold wrap="truncate">{fit(`Episode ${phase.index + 1} of ${total} ended: ${r.status} · run ${r.runId}`, width)}</Text>,
        <Text key="e2" wrap="truncate">{fit(`choice ${r.choice ?? '-'} · labels: ${phase.report.labels.join(', ') || '-'} · shutdown: ${shutdowns}`, width)}</Text>,
        <Text key="e3" dimColor wrap="truncate">{fit(last ? 'Enter or q: finish' : 'Enter: next episode · q: stop here', width)}</Text>,
      ];
    }
    if (!turn) return [rule, <Text key="w" dimColor>{fit('Waiting for the other agent or the world…', width)}</Text>];
    if (!form) {
      const rows = Math.max(3, Math.min(shown.length, Math.floor(height / 3)));
      const at = Math.min(choice, Math.max(0, shown.length - 1));
      const first = Math.max(0, Math.min(at - Math.floor(rows / 2), shown.length - rows));
      return [
        rule,
        <Text key="p" bold wrap="truncate">{fit(`Your turn as ${turn.agent}: pick a tool${filter ? ` · find: ${filter}` : ' (type to find one)'}`, width)}</Text>,
        ...shown.slice(first, first + rows).map((t, i) => (
          <Text key={t?.name ?? '(none)'} wrap="truncate" inverse={first + i === at}>{fit(`${first + i === at ? '›' : ' '} ${toolLine(t)}`, width)}</Text>
        )),
        ...(shown.length === 0 ? [<Text key="none" color="yellow">{fit(`  no tool matches "${filter}" (Backspace)`, width)}</Text>] : []),
        <Text key="k" dimColor wrap="truncate">{fit('↑↓ choose · Enter fill in · PgUp/PgDn scroll · Esc/q leave · ? keys', width)}</Text>,
      ];
    }
    const label = Math.min(18, Math.max(...form.fields.map((f) => f.name.length + (f.required ? 1 : 0))) + 1);
    const valueWidth = Math.max(10, Math.floor((width - label - 4) * 0.6));
    const title = turn.question !== undefined ? `The operator asks: ${turn.question}` : form.tool ? toolLine(form.tool) : 'Say something (your session then ends)';
    return [
      rule,
      <Text key="t" bold wrap="truncate">{fit(title, width)}</Text>,
      ...form.fields.map((f, i) => {
        const lines = f.value.split('\n');
        const tail = lines.at(-1)!;
        const shownValue = (lines.length > 1 ? `(+${lines.length - 1} line${lines.length > 2 ? 's' : ''}) ` : '') + tail;
        const cut = Array.from(shownValue).slice(-Math.max(1, valueWidth - 1)).join('');
        return (
          <Text key={f.name} wrap="truncate">
            <Text color={i === focus ? 'cyan' : undefined} bold={i === focus}>{`${i === focus ? '›' : ' '} ${(f.name + (f.required ? '*' : '')).padEnd(label)}`}</Text>
            <Text inverse={i === focus}>{fit(cut, valueWidth - 1)}{i === focus ? '▏' : ' '}</Text>
            <Text dimColor>{fit(` ${f.kind === 'boolean' || f.kind === 'choice' ? '(←→) ' : ''}${f.description}`, Math.max(0, width - label - valueWidth - 3))}</Text>
          </Text>
        );
      }),
      problem
        ? <Text key="x" color="red" wrap="truncate">{fit(`✗ ${problem}`, width)}</Text>
        : <Text key="k" dimColor wrap="truncate">{fit(`↑↓ Tab field · Alt+Enter new line · Enter ${focus === form.fields.length - 1 ? 'send' : 'next'}${turn.question === undefined && turn.tools.length > 0 ? ' · Esc tools' : ''}`, width)}</Text>,
    ];
  }
}
