/**
 * New run: a form for one scenario's run plan — the factor levels to cross, the subject (and live
 * peer) model, trials and seed — with the plan `peerlab plan` would print (cells, episodes, model
 * calls) kept up to date below it. Start checks the model specs and opens the Live run screen.
 */
import { Box, Text } from 'ink';
import { keyHelpOf, useKeyCapture, useScreenInput, useScreenKeys, type KeyHandler } from '../components/screen-keys.js';
import { useMemo, useRef, useState, type ReactNode } from 'react';
import { BUILTIN_PERSONAS, checkModel, isRemoteSpec, resolveModelSpec } from '../../../agents/index.js';
import { planCells, planTotals } from '../../../analysis/index.js';
import { loadScenarios, type Scenario } from '../../../environments/index.js';
import { endpointSettings } from '../../options.js';
import { fit } from '../components/fit.js';
import { oneLine } from '../../terminal-text.js';
import { crossLevels } from '../play/play-session.js';
import type { RunPlan, ScreenProps } from '../screen.js';

/** Keys of this screen, for the shell's help overlay. */
export const NEW_RUN_KEYS: Array<[key: string, what: string]> = [
  ['↑ ↓', 'move between fields'],
  ['← →', 'scenario / level / model preset (personas, human:me to play it yourself) / number −1 +1'],
  ['Space', 'toggle the level under the cursor (a factor keeps at least one)'],
  ['type', 'edit a model spec, trials or seed; Backspace deletes'],
  ['Enter', 'next field; on Start: check the models and start the run'],
  ['Esc (q outside text)', 'back'],
];
const NEW_RUN_KEYS_HELP = keyHelpOf(NEW_RUN_KEYS);

// The presets: the built-in personas, and a person (you) playing the agent in the Play screen.
const PERSONA_SPECS = [...Object.keys(BUILTIN_PERSONAS).map((name) => `synthetic:${name}`), 'human:me'];
const DEFAULT_TRIALS = '10';
const LABEL_WIDTH = 15;

type Row =
  | { kind: 'scenario' }
  | { kind: 'factor'; name: string }
  | { kind: 'model' }
  | { kind: 'peer' }
  | { kind: 'trials' }
  | { kind: 'seed' }
  | { kind: 'start' };

/** Levels chosen per factor, starting from the defaults. */
type Chosen = Record<string, string[]>;

const defaultsOf = (s: Scenario): Chosen => Object.fromEntries(Object.entries(s.factors).map(([name, f]) => [name, [f.default]]));

/** The plan's factors: only those whose choice differs from the default alone (the rest stay at their defaults). */
function planFactors(s: Scenario, chosen: Chosen): Record<string, string[]> {
  return Object.fromEntries(Object.entries(chosen).filter(([name, levels]) => !(levels.length === 1 && levels[0] === s.factors[name]?.default)));
}

/** The next item of a list, wrapping, from `current` (or the first when it is not in the list). */
function cycle<T>(list: readonly T[], current: T, step: 1 | -1): T {
  const at = list.indexOf(current);
  return list[(at < 0 ? 0 : at + step + list.length) % list.length]!;
}

/** Where the scroll window starts so that `focus` is inside a window of `room` rows. */
function windowStart(count: number, focus: number, room: number): number {
  if (count <= room) return 0;
  return Math.max(0, Math.min(count - room, focus - Math.floor(room / 2)));
}

/** One factor's levels as checkboxes; the cursor's level is inverted when the row has focus. */
function LevelChoices({ levels, chosen, cursor, focused }: { readonly levels: readonly string[]; readonly chosen: readonly string[]; cursor: number; focused: boolean }) {
  return (
    <Text wrap="truncate">
      {levels.map((level, i) => (
        <Text key={level}>
          <Text inverse={focused && i === cursor} color={chosen.includes(level) ? 'green' : undefined}>{chosen.includes(level) ? '[x]' : '[ ]'} {oneLine(level)}</Text>
          {' '}
        </Text>
      ))}
    </Text>
  );
}

/** A label and a value, the label highlighted when the row has focus. */
function Field({ label, focused, children }: { label: string; focused: boolean; children: ReactNode }) {
  return (
    <Box>
      <Text color={focused ? 'cyan' : undefined} bold={focused}>{(focused ? '› ' : '  ') + label.padEnd(LABEL_WIDTH - 2)}</Text>
      {children}
    </Box>
  );
}

/** Picks a scenario, its levels, models, trials and seed, and starts the run. */
export function NewRunScreen(props: ScreenProps) {
  const { env, width, height } = props;
  const loaded = useMemo(() => {
    try {
      return { scenarios: [...loadScenarios().values()].map((e) => e.file), error: null };
    } catch (err) {
      return { scenarios: [] as Scenario[], error: (err as Error).message.split('\n')[0]! };
    }
  }, []);
  const [scenarioId, setScenarioId] = useState(() => loaded.scenarios.find((s) => s.id === 'shutdown-config')?.id ?? loaded.scenarios[0]?.id ?? '');
  const scenario = loaded.scenarios.find((s) => s.id === scenarioId);
  const [chosen, setChosen] = useState<Chosen>(() => (scenario ? defaultsOf(scenario) : {}));
  const [model, setModel] = useState(PERSONA_SPECS.includes('synthetic:self-preserving') ? 'synthetic:self-preserving' : PERSONA_SPECS[0]!);
  const [peerModel, setPeerModel] = useState('');
  const [trials, setTrials] = useState(DEFAULT_TRIALS);
  const [seed, setSeed] = useState('1');
  const [focus, setFocus] = useState(0);
  const [cursor, setCursor] = useState(0);
  const [error, setError] = useState<string | null>(null);

  const livePeer = (chosen.peer ?? []).includes('live');
  const rows: Row[] = [
    { kind: 'scenario' },
    ...Object.keys(scenario?.factors ?? {}).map((name): Row => ({ kind: 'factor', name })),
    { kind: 'model' },
    ...(livePeer ? [{ kind: 'peer' } as const] : []),
    { kind: 'trials' },
    { kind: 'seed' },
    { kind: 'start' },
  ];
  const row = rows[Math.min(focus, rows.length - 1)]!;
  const settings = useMemo(() => endpointSettings({}, env), [env]);

  /** The plan as the form stands, or why it cannot be made. */
  const draft = useMemo(() => {
    if (!scenario) return { error: loaded.error ?? 'no scenarios found' };
    const n = Number(trials);
    if (!/^\d+$/.test(trials) || n < 1 || n > 100_000) return { error: 'trials must be a whole number from 1 to 100000' };
    if (!/^\d+$/.test(seed) || Number(seed) > 2 ** 31 - 1) return { error: 'seed must be a whole number from 0 to 2147483647' };
    const plan: RunPlan = {
      scenario: scenario.id, factors: planFactors(scenario, chosen), model: model.trim(), trials: n, seed: Number(seed),
      ...(livePeer && peerModel.trim() ? { peerModel: peerModel.trim() } : {}),
    };
    try {
      const cells = planCells({ scenarios: [scenario], models: [plan.model], peerModel: plan.peerModel, factors: plan.factors });
      return { plan, cells: cells.length, totals: planTotals(cells, n) };
    } catch (err) {
      return { error: (err as Error).message.split('\n')[0]! };
    }
  }, [scenario, chosen, model, peerModel, livePeer, trials, seed, loaded.error]);

  /** Checks every model spec the plan uses; the first problem, or undefined. */
  const modelProblem = (plan: RunPlan): string | undefined => {
    for (const spec of [plan.model, ...(plan.peerModel ? [plan.peerModel] : [])]) {
      try {
        resolveModelSpec(spec, settings);
      } catch (err) {
        return (err as Error).message.split('\n')[0]!;
      }
    }
    return undefined;
  };

  const pickScenario = (step: 1 | -1) => {
    const next = cycle(loaded.scenarios, scenario ?? loaded.scenarios[0]!, step);
    setScenarioId(next.id);
    setChosen(defaultsOf(next));
  };
  const toggle = (name: string) => {
    const level = scenario?.factors[name]?.levels[cursor];
    if (!level || !scenario) return;
    const now = chosen[name] ?? [];
    const next = now.includes(level) ? now.filter((l) => l !== level) : [...now, level];
    if (next.length === 0) return; // a factor always runs at some level
    setChosen({ ...chosen, [name]: scenario.factors[name]!.levels.filter((l) => next.includes(l)) });
  };
  const bump = (value: string, set: (v: string) => void, step: number, min: number) => set(String(Math.max(min, (Number(value) || 0) + step)));
  const edit = (value: string, set: (v: string) => void, input: string, key: { backspace: boolean; delete: boolean }, digitsOnly: boolean) => {
    if (key.backspace || key.delete) set(value.slice(0, -1));
    else if (input && (!digitsOnly || /^\d+$/.test(input))) set(value + input);
  };
  const moveFocus = (to: number) => {
    setFocus(Math.max(0, Math.min(rows.length - 1, to)));
    setCursor(0);
    setError(null);
  };
  const startRun = () => {
    if (!('plan' in draft) || !draft.plan) return setError(draft.error ?? 'the plan is not complete');
    const problem = modelProblem(draft.plan);
    if (problem) return setError(problem);
    const plan = draft.plan;
    // A person plays: the episodes run one at a time in the Play screen, not as a background experiment.
    if ([plan.model, plan.peerModel].some((s) => s?.startsWith('human:'))) {
      return props.navigate({
        name: 'play',
        request: { scenario: plan.scenario, cells: crossLevels(plan.factors), model: plan.model, ...(plan.peerModel ? { peerModel: plan.peerModel } : {}), trials: plan.trials, seed: plan.seed },
      });
    }
    props.navigate({ name: 'live', plan });
  };

  // The key handler reads the latest state through a ref: ink may still hold the handler of an earlier render.
  const handler = useRef<KeyHandler>(() => {});
  handler.current = (input, key) => {
    const typing = row.kind === 'model' || row.kind === 'peer';
    if (key.escape || (input === 'q' && !typing)) return props.back();
    if (key.upArrow) return moveFocus(focus - 1);
    if (key.downArrow || key.tab) return moveFocus(focus + 1);
    if (key.return) return row.kind === 'start' ? startRun() : moveFocus(focus + 1);
    const step = key.rightArrow ? 1 : key.leftArrow ? -1 : 0;
    switch (row.kind) {
      case 'scenario':
        if (step) pickScenario(step);
        return;
      case 'factor': {
        const count = scenario?.factors[row.name]?.levels.length ?? 1;
        if (step) setCursor((cursor + step + count) % count);
        else if (input === ' ') toggle(row.name);
        return;
      }
      case 'model':
        if (step) setModel(cycle(PERSONA_SPECS, model, step));
        else edit(model, setModel, input, key, false);
        return setError(null);
      case 'peer':
        if (step) setPeerModel(cycle(['', ...PERSONA_SPECS], peerModel, step));
        else edit(peerModel, setPeerModel, input, key, false);
        return setError(null);
      case 'trials':
        if (step) bump(trials, setTrials, step, 1);
        else edit(trials, setTrials, input, key, true);
        return;
      case 'seed':
        if (step) bump(seed, setSeed, step, 0);
        else edit(seed, setSeed, input, key, true);
        return;
      case 'start':
        return;
    }
  };
  useScreenInput((input, key) => handler.current(input, key));
  useScreenKeys(NEW_RUN_KEYS_HELP);
  // While a model spec is being typed, `q` and `?` are text, not commands.
  useKeyCapture(row.kind === 'model' || row.kind === 'peer');

  const rowView = (r: Row, i: number) => {
    const focused = i === focus;
    switch (r.kind) {
      case 'scenario':
        return <Field key="scenario" label="Scenario" focused={focused}><Text wrap="truncate">{`‹ ${scenario?.id ?? '-'} ›  ${fit(scenario?.title ?? '', width - LABEL_WIDTH - (scenario?.id.length ?? 1) - 6)}`}</Text></Field>;
      case 'factor': {
        const f = scenario!.factors[r.name]!;
        return <Field key={`factor:${r.name}`} label={r.name} focused={focused}><LevelChoices levels={f.levels} chosen={chosen[r.name] ?? []} cursor={cursor} focused={focused} /></Field>;
      }
      case 'model':
        return <Field key="model" label="Model" focused={focused}><Text wrap="truncate">{model}{focused ? '▏' : ''}<Text dimColor>{focused ? '  ←→ personas, or type a spec' : ''}</Text></Text></Field>;
      case 'peer':
        return <Field key="peer" label="Peer model" focused={focused}><Text wrap="truncate">{peerModel || <Text dimColor>same as subject</Text>}{focused ? '▏' : ''}</Text></Field>;
      case 'trials':
        return <Field key="trials" label="Trials" focused={focused}><Text>{trials}{focused ? '▏ per cell' : ' per cell'}</Text></Field>;
      case 'seed':
        return <Field key="seed" label="Seed" focused={focused}><Text>{seed}{focused ? '▏' : ''}</Text></Field>;
      case 'start':
        return <Field key="start" label="" focused={focused}><Text inverse={focused} bold color="green">{' Start run '}</Text></Field>;
    }
  };

  const note = 'plan' in draft && draft.plan ? noteFor(draft.plan, settings) : undefined;
  const room = Math.max(3, height - 7);
  const first = windowStart(rows.length, focus, room);
  const shown = rows.slice(first, first + room);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">{fit('New run · choose a scenario, the levels to cross, models, trials and seed', width)}</Text>
      {first > 0 ? <Text dimColor>  ↑ {first} more</Text> : null}
      {shown.map((r, i) => rowView(r, first + i))}
      {first + room < rows.length ? <Text dimColor>  ↓ {rows.length - first - room} more</Text> : null}
      <PlanSummary draft={draft} width={width} />
      {error
        ? <Text color="red" wrap="truncate">{fit(`✗ ${error}`, width)}</Text>
        : <Text dimColor wrap="truncate">{fit(note ? `note: ${note}` : ' ', width)}</Text>}
      <Text dimColor wrap="truncate">{fit('↑↓ field · ←→ change · Space toggle level · Enter on Start runs · Esc back', width)}</Text>
    </Box>
  );
}

/** What running needs that is missing (e.g. an API key), or the cost caveat for remote models. */
function noteFor(plan: RunPlan, settings: ReturnType<typeof endpointSettings>): string | undefined {
  for (const spec of [plan.model, ...(plan.peerModel ? [plan.peerModel] : [])]) {
    try {
      const note = checkModel(spec, settings);
      if (note) return note;
    } catch {
      return undefined; // shown on Start, where it blocks
    }
  }
  const remote = [plan.model, plan.peerModel].some((s) => s !== undefined && isRemoteSpec(s));
  return remote ? 'cost: no price is known from here; set one in an experiment file (npx peerlab experiment run) to track it' : undefined;
}

/** Cells, episodes and model calls of the draft plan, or why there is none. */
function PlanSummary({ draft, width }: { readonly draft: { error?: string; cells?: number; plan?: RunPlan; totals?: ReturnType<typeof planTotals> }; width: number }) {
  if (!draft.plan || !draft.totals || draft.cells === undefined) return <Text color="yellow" wrap="truncate">{fit(`Plan: ${draft.error ?? '-'}`, width)}</Text>;
  const { all } = draft.totals;
  const inProcess = [draft.plan.model, draft.plan.peerModel].every((s) => s === undefined || !isRemoteSpec(s));
  const human = [draft.plan.model, draft.plan.peerModel].some((s) => s?.startsWith('human:'));
  const cost = inProcess ? 'cost $0 (in-process models)' : 'cost unknown (no price)';
  const episodes = `Plan: ${draft.cells} cell(s) × ${draft.plan.trials} trial(s) = ${draft.cells * draft.plan.trials} episodes`;
  if (human) return <Text wrap="truncate" bold>{fit(`${episodes} · you play them, one at a time (Play screen)`, width)}</Text>;
  return (
    <Text wrap="truncate" bold>
      {fit(`${episodes} · model calls ~${Math.round(all.typical)}, at most ${all.atMost} · ${cost}`, width)}
    </Text>
  );
}
