import { CommanderError } from 'commander';
import { SqliteTraceStore, redactSecrets, registerSecret, storeErrorLine } from '../traces/index.js';
import { CheckFailed, isInputError, isOperationalError } from './errors.js';
import { dbPath, type Env } from './options.js';
import { buildProgram, type Io } from './program.js';
import { terminalSafe } from './terminal-text.js';
import { loadTui } from './tui/load.js';

/**
 * Runs the CLI and returns the exit code: 0 on success, 2 for bad input (one line on stderr,
 * nothing written), 1 for a failure that is not the input's (a write the disk or a lock refused, an
 * experiment another process is running, a damaged database: one line) and for anything unexpected.
 * With no arguments it opens the terminal app when `openTui` is given (stdin and stdout are a
 * terminal), else prints the help (also `--no-tui`).
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
  // Nothing printed carries the API key, whatever an endpoint echoed into an error message, nor a
  // control sequence from data (a model's text, an imported id) that the terminal would obey.
  out: (line) => process.stdout.write(`${terminalSafe(redactSecrets(line))}\n`),
  err: (text) => process.stderr.write(terminalSafe(redactSecrets(text))),
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
const code = await main(process.argv.slice(2), env, io, interactive ? openTui : undefined);
process.exitCode = code;
// After a failure (a write the disk refused, say) episodes may still be waiting on their endpoint:
// everything committed is on disk and the next start resumes, so end now rather than wait for them.
if (code === 1) process.exit(code);
