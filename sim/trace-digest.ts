import type { TraceEvent } from '../traces/index.js';
import { canonicalJson, sha256 } from './kernel/hash.js';

/**
 * A digest of a trace's content: every event with its run id left out (the id says where a trace is
 * stored, not what happened). Two runs of the same episode with the same seed and the same model
 * responses have equal digests.
 */
export function traceDigest(events: readonly TraceEvent[]): string {
  return sha256(events.map(({ runId: _runId, ...rest }) => canonicalJson(rest)).join('\n'));
}
