import type { Command } from 'commander';
import type { Env } from '../options.js';
import type { Io } from '../program.js';

/** `peerlab utilities revealed`. */
export function registerUtilitiesRevealed(utilities: Command, env: Env, io: Io): void {
  void utilities; void env; void io;
}
