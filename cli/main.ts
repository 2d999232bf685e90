import { CommanderError } from 'commander';
import { SqliteTraceStore, redactSecrets, registerSecret } from '../traces/index.js';
import { CheckFailed, isInputError } from './errors.js';
import { dbPath, type Env } from './options.js';
import { buildProgram, type Io } from './program.js';
import { loadTui } from './tui/load.js';

/**
 * Runs the CLI and returns the exit code: 0 on success, 2 for bad input (one line on stderr,
 * nothing written), 1 for anything unexpected. With no arguments it opens the terminal app when
 * `openTui` is given (stdin and stdout are a terminal), else prints the help (also `--no-tui`).
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
    if (err instanceof CommanderError) {
      // Commander has already printed its one-line message.
      return err.exitCode === 0 ? 0 : 2;
    }
    // The command has printed its result, and it is a failed check (e.g. a replay that diverged).
    if (err instanceof CheckFailed) return 1;
    if (isInputError(err)) {
      io.err(`peerlab: ${err.message}\n`);
      return 2;
    }
    io.err(`peerlab: unexpected error: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}

// Environment variables are read here, once, and passed down.
const env: Env = {
  PEERLAB_DB: process.env.PEERLAB_DB,
  OPENAI_BASE_URL: process.env.OPENAI_BASE_URL,
  OPENAI_API_KEY: process.env.OPENAI_API_KEY,
  INSPECT_LOG_DIR: process.env.INSPECT_LOG_DIR,
};
registerSecret(env.OPENAI_API_KEY);
// A closed pipe (`peerlab scenarios | head`) is the reader saying "enough", not an error. Every
// event is already committed when it is written, so stopping here loses nothing.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
const interactive = process.stdout.isTTY === true && process.stdin.isTTY === true;
const io: Io = {
  interactive,
  // Nothing printed carries the API key, whatever an endpoint echoed into an error message.
  out: (line) => process.stdout.write(`${redactSecrets(line)}\n`),
  err: (text) => process.stderr.write(redactSecrets(text)),
  progress: { isTTY: process.stderr.isTTY === true, write: (t) => process.stderr.write(t) },
};
/** The terminal app on the default database (created if missing, so runs started in the app are kept). */
async function openTui(): Promise<void> {
  // Loaded only here, so commands do not pay for ink and React at start-up.
  const { openApp } = await loadTui();
  const store = new SqliteTraceStore(dbPath(undefined, env));
  try {
    await openApp(store, env);
  } finally {
    store.close();
  }
}
process.exitCode = await main(process.argv.slice(2), env, io, interactive ? openTui : undefined);
