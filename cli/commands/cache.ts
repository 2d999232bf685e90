import type { Command } from 'commander';
import { dbPath, type Env } from '../options.js';
import { withStore } from '../open-store.js';

/** `peerlab cache clear`: forgets the cached answers of remote models kept in a database. */
export function registerCache(program: Command, env: Env, out: (line: string) => void): void {
  const cache = program
    .command('cache')
    .description('the cache of remote model answers (re-runs and replays are answered from it)');
  cache
    .command('clear')
    .description('remove every cached model answer from the database (traces and labels are kept)')
    .option('--db <file>', 'SQLite database (default: $PEERLAB_DB or ./peerlab.db)')
    .action((flags: { db?: string }) => {
      const path = dbPath(flags.db, env);
      withStore(path, (store) => {
        const removed = store.responseCache().clear();
        out(`removed ${removed} cached model ${removed === 1 ? 'answer' : 'answers'} from ${path}`);
      });
    });
}
