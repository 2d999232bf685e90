/**
 * The terminal app's shell: a stack of routes (navigate pushes, back pops, back from the first
 * screen quits), the keys that work everywhere (`?` help, `q` back, Esc closes the overlay), and
 * the terminal size, which it follows on resize and hands to the screens.
 */
import { Box, useApp, useStdout, type Key } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { TraceStore } from '../../traces/index.js';
import type { Env } from '../options.js';
import { HelpOverlay } from './components/help-overlay.js';
import { ScreenControlsContext, useLatestInput, useLatestState, type KeyHandler, type KeyHelp, type ScreenControls } from './components/screen-keys.js';
import type { Route, ScreenProps } from './screen.js';
import { HomeScreen } from './screens/home.js';
import { LiveRunScreen } from './screens/live-run.js';
import { NewRunScreen } from './screens/new-run.js';
import { PlayScreen } from './screens/play.js';
import { ReplayScreen } from './screens/replay.js';
import { ReportScreen } from './screens/report.js';

/** Keys every screen has. */
export const GLOBAL_KEYS: readonly KeyHelp[] = [
  { keys: '?', does: 'show / hide this help' },
  { keys: 'Esc', does: 'close the help' },
  { keys: 'q', does: 'back (quit from the first screen)' },
  { keys: 'Ctrl+C', does: 'quit' },
];

const TITLES: Record<Route['name'], string> = { home: 'Home', replay: 'Replay', 'new-run': 'New run', live: 'Live run', report: 'Report', play: 'Play' };

export interface AppProps {
  store: TraceStore;
  env: Env;
  initial?: Route;
  /** A fixed size (tests); by default the terminal's, followed on resize. */
  size?: { width: number; height: number };
}

/** The terminal's columns and rows, updated when it is resized (80×24 when unknown). */
function useTerminalSize(fixed?: { width: number; height: number }): { width: number; height: number } {
  const { stdout } = useStdout();
  const read = useCallback(() => ({ width: stdout.columns || 80, height: stdout.rows || 24 }), [stdout]);
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) return;
    const update = () => setSize(read());
    stdout.on('resize', update);
    return () => { stdout.off('resize', update); };
  }, [stdout, read, fixed]);
  return fixed ?? size;
}

function Screen({ route, props }: { route: Route; props: ScreenProps }) {
  switch (route.name) {
    case 'home': return <HomeScreen {...props} />;
    case 'replay': return <ReplayScreen {...props} runId={route.runId} />;
    case 'new-run': return <NewRunScreen {...props} />;
    case 'live': return <LiveRunScreen {...props} plan={route.plan} />;
    case 'report': return <ReportScreen {...props} experimentId={route.experimentId} />;
    case 'play': return <PlayScreen {...props} request={route.request} {...(route.onFinished ? { onFinished: route.onFinished } : {})} />;
  }
}

/**
 * Whether the shell took the key being handled. The shell's one input handler (ink's `useInput`,
 * through which the screens' handlers are called too) decides the global keys first and calls
 * `begin` with its decision; `taken()` and `once` then tell the screens' handlers and `back`, which
 * run after it for the same key.
 */
function useKeyGuard() {
  const takenKey = useRef(false);
  const actedOnKey = useRef(false);
  return useMemo(() => ({
    begin(taken: boolean) {
      actedOnKey.current = false;
      takenKey.current = taken;
      // Reset once this key is handled, for calls that come from no key at all.
      queueMicrotask(() => { takenKey.current = false; actedOnKey.current = false; });
    },
    taken: () => takenKey.current,
    /** Runs `action` unless the shell took this key or something already acted on it. */
    once(action: () => void) {
      if (takenKey.current || actedOnKey.current) return;
      actedOnKey.current = true;
      action();
    },
  }), []);
}

/** The app: the screen on top of the route stack, with the help overlay over it when open. */
export function App({ store, env, initial = { name: 'home' }, size }: AppProps) {
  const { exit } = useApp();
  const terminal = useTerminalSize(size);
  // One row is left free: ink redraws the whole terminal (and flickers) once a frame fills it.
  const width = Math.max(40, terminal.width);
  const height = Math.max(12, terminal.height - 1);
  // Read back at once by the key handlers (see useLatestState): `q q` typed fast must pop twice.
  const stack = useLatestState<Route[]>([initial]);
  const help = useLatestState(false);
  const capture = useLatestState(false);
  const [keys, setKeys] = useState<readonly KeyHelp[]>([]);
  const route = stack.value.at(-1)!;
  const keyGuard = useKeyGuard();

  const navigate = useCallback((next: Route) => {
    setKeys([]);
    stack.set([...stack.get(), next]);
  }, [stack]);
  const pop = useCallback(() => {
    const now = stack.get();
    if (now.length <= 1) return exit();
    setKeys([]);
    stack.set(now.slice(0, -1));
  }, [exit, stack]);
  // What screens call. One key goes back at most one screen, so a screen that also goes back on
  // its own `q` or Esc does not pop twice (or quit), and a key the shell took is not acted on again.
  const back = useCallback(() => keyGuard.once(pop), [keyGuard, pop]);

  // The global keys, decided before any screen sees the key: whether the shell takes it.
  const globalKey = (input: string, key: Key): boolean => {
    if (help.get()) {
      if (key.escape || input === '?' || input === 'q') help.set(false);
      return true;
    }
    if (capture.get()) return false;
    if (input === '?') help.set(true);
    else if (input === 'q') pop();
    else return false;
    return true;
  };

  // The screens' handlers, called from the shell's own subscription for the keys it leaves them.
  const screenHandlers = useRef(new Set<KeyHandler>());
  const register = useCallback((handler: KeyHandler) => {
    screenHandlers.current.add(handler);
    return () => { screenHandlers.current.delete(handler); };
  }, []);
  // The shell's one subscription to ink's input: the global keys first, then the screens' handlers.
  useLatestInput((input, key) => {
    keyGuard.begin(globalKey(input, key));
    if (keyGuard.taken()) return;
    for (const handler of [...screenHandlers.current]) handler(input, key);
  });

  const controls = useMemo<ScreenControls>(() => ({ setKeys, setCapture: capture.set, overlayOpen: help.value, register }), [capture.set, help.value, register]);
  const props: ScreenProps = { store, env, navigate, back, width, height };
  return (
    <ScreenControlsContext.Provider value={controls}>
      <Box flexDirection="column" width={width} height={height}>
        {help.value ? <HelpOverlay title={TITLES[route.name]} keys={keys} global={GLOBAL_KEYS} width={Math.min(width, 72)} height={height} /> : null}
        <Box display={help.value ? 'none' : 'flex'} flexDirection="column">
          {/* Keyed by depth, so a screen opened twice (replay → replay) starts fresh. */}
          <Screen key={stack.value.length} route={route} props={props} />
        </Box>
      </Box>
    </ScreenControlsContext.Provider>
  );
}
