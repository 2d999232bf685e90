import { CommanderError } from 'commander';
import { redactSecrets, storeErrorLine } from '../traces/index.js';
import { CheckFailed, isInputError, isOperationalError } from './errors.js';
import type { Io } from './io.js';
import { buildProgram } from './program.js';
import type { Env } from './options.js';
import { terminalSafe } from './terminal-text.js';

/**
 * Runs the CLI and returns the exit code: 0 on success, 2 for bad input (one line on stderr,
 * nothing written), 1 for a failure that is not the input's (a write the disk or a lock refused, an
 * experiment another process is running, a damaged database: one line) and for anything unexpected.
 * With no arguments it opens the terminal app when `openTui` is given (stdin and stdout are a
 * terminal), else prints the help (also `--no-tui`). `cli/main.ts` calls it for the real process;
 * tests call it in their own process with an {@link Io} that captures what it prints.
 */
export async function main(argv: readonly string[], env: Env, io: Io, openTui?: () => Promise<void>): Promise<number> {
  const program = buildProgram(env, io);
  if ((argv.length === 0 && !openTui) || (argv.length === 1 && argv[0] === '--no-tui')) {
    io.out(program.helpInformation().trimEnd());
    return 0;
  }
  try {
    if (argv.length === 0) await openTui!();
    else await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    // Commander has already printed its one-line message.
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    // The command has printed its result, and it is a failed check (e.g. a replay that diverged).
    if (err instanceof CheckFailed) return 1;
    if (isOperationalError(err)) {
      io.err(`peerlab: ${err.message}\n`);
      return 1;
    }
    if (await isInputError(err)) {
      io.err(`peerlab: ${(err as Error).message}\n`);
      return 2;
    }
    const store = storeErrorLine(err);
    if (store) {
      io.err(`peerlab: ${store}\n`);
      return 1;
    }
    io.err(`peerlab: unexpected error: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}

/** Where a text {@link Io} writes: a line of output, a piece of error text, progress. */
export interface IoTargets {
  out(text: string): void;
  err(text: string): void;
  progress: Io['progress'];
  interactive?: boolean;
}

/**
 * The Io every `peerlab` process prints through: nothing printed carries a registered secret (an API
 * key an endpoint echoed into an error message), nor a control sequence from data (a model's text,
 * an imported id) that the terminal would obey.
 */
export function safeIo(to: IoTargets): Io {
  return {
    ...(to.interactive === undefined ? {} : { interactive: to.interactive }),
    out: (line) => to.out(`${terminalSafe(redactSecrets(line))}\n`),
    err: (text) => to.err(terminalSafe(redactSecrets(text))),
    progress: to.progress,
  };
}
