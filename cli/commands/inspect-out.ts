import { mkdirSync, statSync } from 'node:fs';
import { basename, extname, join, sep } from 'node:path';
import { InspectLogError, inspectListsJsonLog, inspectLog, inspectLogFileName, type InspectLogOptions } from '../../analysis/index.js';
import type { TraceStore } from '../../traces/index.js';
import { UsageError } from '../errors.js';
import type { Env } from '../options.js';
import type { Io } from '../io.js';
import { writeOut } from '../write-out.js';
import { TEXT_WIDTH, wrapText } from '../text-layout.js';

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Writes the runs as one Inspect log. `--out` may be a file, `-`, or a directory (one that exists,
 * or a path that ends in a separator or has no extension); without it the log goes to
 * $INSPECT_LOG_DIR or ./logs, Inspect's own default. In a directory the file is named as
 * Inspect names its logs (`<created>_<task>_<id>.json`), the only `.json` names `inspect view`
 * lists. Runs the log cannot hold are a usage mistake. Returns where it went.
 */
export function writeInspectLog(store: TraceStore, runIds: readonly string[], options: InspectLogOptions, out: string | undefined, env: Env, io: Io): string {
  let log;
  try {
    log = inspectLog(store, runIds, options);
  } catch (err) {
    if (err instanceof InspectLogError) throw new UsageError(err.message);
    throw err;
  }
  const text = `${JSON.stringify(log, null, 2)}\n`;
  if (out === '-') {
    writeOut('-', text, io);
    return '-';
  }
  const target = out ?? env.INSPECT_LOG_DIR ?? 'logs';
  // A directory: one that exists, a path ending in a separator, or a name without an extension.
  const intoDirectory = out === undefined || target.endsWith('/') || target.endsWith(sep) || extname(target) === '' || isDirectory(target);
  if (intoDirectory) {
    try {
      mkdirSync(target, { recursive: true });
    } catch (err) {
      throw new UsageError(`cannot create directory ${target}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  const path = intoDirectory ? join(target, inspectLogFileName(log)) : target;
  writeOut(path, text, io);
  const notes = [
    log.status === 'cancelled' ? `incomplete: ${log.eval.metadata.missing_epochs?.length ?? 0} of ${log.eval.dataset.samples} samples lack some of epochs 1-${log.eval.config.epochs}, so Inspect reads it as cancelled` : '',
    log.status === 'started' ? 'a run is still running, so Inspect reads it as started' : '',
    inspectListsJsonLog(basename(path)) ? '' : `inspect view lists .json logs only when their name starts with a timestamp, e.g. ${inspectLogFileName(log)}: give a directory as --out`,
  ].filter(Boolean);
  io.out(wrapText(`wrote ${runIds.length} run${runIds.length === 1 ? '' : 's'} as inspect to ${path}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`, TEXT_WIDTH));
  return path;
}
