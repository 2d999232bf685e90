/**
 * Names an Inspect log needs in Inspect's own forms: model names as `api/name`, and file names that
 * `inspect view` and `list_eval_logs` list. Each rule cites the Inspect code it follows
 * (UKGovernmentBEIS/inspect_ai at commit 499e6152, see README "Inspect logs").
 */

import { REMOTE_PROVIDERS } from '../../agents/index.js';

/**
 * peerlab's providers as Inspect's model APIs (`@modelapi(name=…)` in model/_providers/providers.py),
 * as each remote provider declares it (`google-genai:` is Inspect's `google`); peerlab's own
 * in-process providers keep their names (`synthetic/…`, `script/…`), which Inspect has no API for.
 */
const INSPECT_APIS: ReadonlyMap<string, string> = new Map(REMOTE_PROVIDERS.map((p) => [p.name, p.inspectApi]));

/**
 * A peerlab model spec (`provider:model`) as an Inspect model name (`api/name`): get_model() splits
 * the name at its first `/` into the API and the model. A spec without a provider becomes `peerlab/…`.
 */
export function inspectModelName(spec: string): string {
  const colon = spec.indexOf(':');
  if (colon <= 0 || colon === spec.length - 1) return `peerlab/${spec}`;
  const provider = spec.slice(0, colon);
  return `${INSPECT_APIS.get(provider) ?? provider}/${spec.slice(colon + 1)}`;
}

/** Inspect's clean_filename_component (_util/file.py): `_`, `/`, `:` and `+` become `-`. */
export function cleanFilenameComponent(text: string): string {
  return text.replace(/[_/:+]/g, '-');
}

/**
 * The file name Inspect gives a log (log/_recorders/file.py, `{created}_{task}_{id}`), so the
 * listing parses the task and task id back from it (log/_file.py, _try_parse_filename). The id must
 * not contain `-`: the listing reads what follows a `-` in the id as a suffix.
 */
export function inspectLogFileName(log: { eval: { created: string; task: string; task_id: string } }): string {
  const { created, task, task_id: id } = log.eval;
  if (id.includes('-') || id.includes('_')) throw new Error(`an Inspect task id in a file name cannot contain - or _ (got ${id})`);
  return `${cleanFilenameComponent(created)}_${cleanFilenameComponent(task)}_${cleanFilenameComponent(id)}.json`;
}

/** log_file_pattern of log/_file.py: `.json` logs are listed only when named like this. */
const LISTED_JSON = /^\d{4}-\d{2}-\d{2}T\d{2}[:-]\d{2}[:-]\d{2}.*\.json$/;

/** Whether Inspect's listing (is_log_file in log/_file.py) includes a `.json` log of this file name. */
export function inspectListsJsonLog(fileName: string): boolean {
  return LISTED_JSON.test(fileName);
}
