import { HUMAN_PREFIX, resolveHumanSpec } from '../human-chat-model.js';
import type { LocalProvider } from './provider.js';

/**
 * `human:<name>`: a person plays the agent, answering through `settings.humanPlayer` (the terminal
 * app's Play screen). No API and no cost; the person's answers take real time, so its factory
 * measures latency like a remote model's (see resolveHumanSpec).
 */
export const human: LocalProvider = {
  name: HUMAN_PREFIX,
  inProcess: true,
  typed: true,
  chat(spec, rest, settings) {
    return resolveHumanSpec(spec, rest, settings.humanPlayer);
  },
  whyNoJudge: 'a person plays agents here; label runs by hand with peerlab label',
};
