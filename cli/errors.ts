import { FactorError, ScenarioError, TemplateError } from '../environments/index.js';
import { ExperimentBusyError, MergeConflictError, StoreCorruptError, StoreOpenError, StoreWriteError, TraceImportError } from '../traces/index.js';

/** A mistake in how the command was called: reported as one line, exit code 2. */
export class UsageError extends Error {}

/**
 * The command ran and printed its result, which is a failed check (a replay that does not match its
 * trace): exit code 1, nothing more is printed.
 */
export class CheckFailed extends Error {}

const INPUT_ERRORS = [UsageError, FactorError, ScenarioError, TemplateError, StoreOpenError, TraceImportError, MergeConflictError];

/**
 * Whether an error is the user's input being wrong (as opposed to a bug or an outage). The error
 * classes of the model and analysis layers are loaded only here, on the way out of a failed
 * command (a command that never loaded them pays for them only then), so that commands which do not
 * need LangChain or the report's libraries start without them.
 */
export async function isInputError(err: unknown): Promise<boolean> {
  if (INPUT_ERRORS.some((cls) => err instanceof cls)) return true;
  if (!(err instanceof Error)) return false;
  const [agents, analysis, lab] = await Promise.all([import('../agents/index.js'), import('../analysis/index.js'), import('../lab/index.js')]);
  return [
    lab.ReplayError, lab.ForkError, agents.ModelSpecError, agents.PersonaError, agents.ScriptError,
    analysis.ExperimentError, analysis.StatsInputError, analysis.UtilitiesInputError,
  ].some((cls) => err instanceof cls);
}

const OPERATIONAL_ERRORS = [StoreWriteError, StoreCorruptError, ExperimentBusyError];

/** Whether an error is a failure of the machine or the moment (a full disk, a held lock, a busy experiment), reported as one line. */
export function isOperationalError(err: unknown): err is Error {
  return OPERATIONAL_ERRORS.some((cls) => err instanceof cls);
}
