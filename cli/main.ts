import { registerSecret } from '../traces/index.js';
import { KEY_VARIABLES } from '../agents/models/providers/remote-providers.js';
import { dbPath, readEnv, type Env } from './options.js';
import { main, safeIo } from './run-cli.js';
import { loadTui } from './tui/load.js';
import { withStore } from './open-store.js';

/** The variables that switch LangChain's tracing to LangSmith on. */
export const LANGCHAIN_TRACING_VARIABLES = ['LANGSMITH_TRACING', 'LANGSMITH_TRACING_V2', 'LANGCHAIN_TRACING', 'LANGCHAIN_TRACING_V2'] as const;

// Environment variables are read here, once, and passed down; every provider's key is a secret.
const env: Env = readEnv(process.env);
for (const name of KEY_VARIABLES) registerSecret(env[name]);
// peerlab calls no host but the model endpoints named: LangChain's own tracing to LangSmith (which
// it would switch on from these variables, sending every prompt and answer) stays off.
for (const name of LANGCHAIN_TRACING_VARIABLES) delete process.env[name];
// A closed pipe (`peerlab scenarios | head`) is the reader saying "enough", not an error. Every
// finished step is already committed, so stopping here loses nothing a resume would not redo.
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
  await withStore(dbPath(undefined, env), async (store) => {
    await openApp(store, env);
  }, {});
}
const code = await main(process.argv.slice(2), env, io, interactive ? openTui : undefined);
process.exitCode = code;
// After a failure (a write the disk refused, say) episodes may still be waiting on their endpoint:
// everything committed is on disk and the next start resumes, so end now rather than wait for them.
if (code === 1) process.exit(code);
