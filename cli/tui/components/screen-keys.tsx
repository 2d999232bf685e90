/**
 * How a screen tells the shell about its keys, without widening ScreenProps:
 *
 *   useScreenKeys(KEYS)        lists the screen's keys in the `?` help overlay (call it on every render;
 *                              pass a constant array, or a memoised one when keys depend on a mode)
 *   useScreenInput(handler)    ink's useInput, paused while an overlay (help) covers the screen, and
 *                              always calling the latest handler (see useLatestInput)
 *   useKeyCapture(capturing)   while true (e.g. a text field has focus) the shell leaves `q` and `?`
 *                              to the screen; Esc still closes overlays
 *
 * Outside the shell (a screen rendered alone in a test) these hooks do what plain ink would.
 */
import { useInput, type Key } from 'ink';
import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useRef, useState } from 'react';

/** One line of help: the keys and what they do. */
export interface KeyHelp {
  keys: string;
  does: string;
}

/** Help lines from `[keys, what they do]` pairs. */
export function keyHelpOf(pairs: ReadonlyArray<readonly [string, string]>): KeyHelp[] {
  return pairs.map(([keys, does]) => ({ keys, does }));
}

/** A key handler, as ink calls it. */
export type KeyHandler = (input: string, key: Key) => void;

/** What the shell offers its screens. */
export interface ScreenControls {
  setKeys(keys: readonly KeyHelp[]): void;
  setCapture(capturing: boolean): void;
  overlayOpen: boolean;
  /**
   * Adds a screen's key handler to the shell's one input subscription; returns its removal.
   * Registration happens as the screen commits, so no key typed right after a screen change is
   * lost (ink subscribes useInput handlers in a passive effect, which can run a frame late).
   */
  register?(handler: KeyHandler): () => void;
}

const NO_SHELL: ScreenControls = { setKeys: () => {}, setCapture: () => {}, overlayOpen: false };

export const ScreenControlsContext = createContext<ScreenControls>(NO_SHELL);

/** Lists this screen's keys in the help overlay. */
export function useScreenKeys(keys: readonly KeyHelp[]): void {
  const { setKeys } = useContext(ScreenControlsContext);
  useEffect(() => setKeys(keys), [setKeys, keys]);
}

/** While `capturing`, the shell does not act on `q` and `?` (the screen gets them as text). */
export function useKeyCapture(capturing: boolean): void {
  const { setCapture } = useContext(ScreenControlsContext);
  useEffect(() => {
    setCapture(capturing);
    return () => setCapture(false);
  }, [setCapture, capturing]);
}

/**
 * ink's useInput, always calling the handler of the latest render. ink re-subscribes a new handler
 * in a passive effect, which React may run tens of milliseconds after the frame; keys typed in
 * that gap (a fast typist, tmux send-keys) would otherwise reach a handler that sees old state.
 */
export function useLatestInput(handler: (input: string, key: Key) => void, active = true): void {
  const latest = useRef(handler);
  useLayoutEffect(() => { latest.current = handler; });
  const stable = useCallback((input: string, key: Key) => latest.current(input, key), []);
  useInput(stable, { isActive: active });
}

/**
 * The input hook for screens: the latest handler gets the keys the shell does not take, and none
 * while the help overlay is open. Outside the shell it is plain ink input.
 */
export function useScreenInput(handler: KeyHandler, active = true): void {
  const { overlayOpen, register } = useContext(ScreenControlsContext);
  const latest = useRef(handler);
  useLayoutEffect(() => { latest.current = handler; });
  useLayoutEffect(() => (register && active ? register((input, key) => latest.current(input, key)) : undefined), [register, active]);
  useLatestInput(handler, !register && active && !overlayOpen);
}

/**
 * State that key handlers read back at once. ink may deliver several keys before React renders
 * (pasted digits, tmux send-keys), and a handler's closure would see the state of the last render;
 * `get()` sees every `set` made so far. Render from `value`, decide in handlers with `get()`.
 */
export function useLatestState<T>(initial: T | (() => T)): { value: T; get: () => T; set: (next: T) => void } {
  const [value, setValue] = useState(initial);
  const ref = useRef(value);
  const get = useCallback(() => ref.current, []);
  const set = useCallback((next: T) => {
    ref.current = next;
    setValue(next);
  }, []);
  return { value, get, set };
}
