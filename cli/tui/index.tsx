/**
 * Opening the terminal app. It draws on the terminal's alternate screen, so quitting gives the
 * shell back as it was, and resolves once the user quits.
 */
import { render } from 'ink';
import type { TraceStore } from '../../traces/index.js';
import type { Env } from '../options.js';
import { App } from './app.js';
import type { TrialReport } from '../format-trial.js';
import type { PlayRequest } from './play/play-session.js';
import type { Route } from './screen.js';

export type { Route, RunPlan, ScreenProps } from './screen.js';

const ENTER_ALT_SCREEN = '\u001B[?1049h\u001B[H';
const LEAVE_ALT_SCREEN = '\u001B[?1049l';

/** Renders the app on the terminal and waits until the user quits. */
export async function openApp(store: TraceStore, env: Env, initial: Route = { name: 'home' }): Promise<void> {
  const alternate = process.stdout.isTTY === true;
  if (alternate) process.stdout.write(ENTER_ALT_SCREEN);
  try {
    const instance = render(<App store={store} env={env} initial={initial} />, { exitOnCtrlC: true });
    await instance.waitUntilExit();
  } finally {
    if (alternate) process.stdout.write(LEAVE_ALT_SCREEN);
  }
}

/**
 * Opens the app on the Play screen: a person plays the request's episodes. Resolves, once the app
 * is closed and the last episode is stored, with the trials played (and why play stopped early, if
 * it failed).
 */
export async function openPlay(store: TraceStore, env: Env, request: PlayRequest): Promise<{ reports: TrialReport[]; error?: unknown }> {
  let settle: (r: { reports: TrialReport[]; error?: unknown }) => void = () => {};
  const finished = new Promise<{ reports: TrialReport[]; error?: unknown }>((resolve) => { settle = resolve; });
  await openApp(store, env, { name: 'play', request, onFinished: (reports, error) => settle({ reports, ...(error === undefined ? {} : { error }) }) });
  return finished;
}

/** Opens the app on the Replay screen of one run (q quits). */
export function openReplay(store: TraceStore, env: Env, runId: string): Promise<void> {
  return openApp(store, env, { name: 'replay', runId });
}
