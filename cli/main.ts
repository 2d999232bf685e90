import { SqliteTraceStore, registerSecret } from '../traces/index.js';
import { dbPath, type Env } from './options.js';
import { main, safeIo } from './run-cli.js';
import { loadTui } from './tui/load.js';

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
const io = safeIo({
  interactive,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  progress: { isTTY: process.stderr.isTTY === true, write: (t) => process.stderr.write(t) },
});
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
