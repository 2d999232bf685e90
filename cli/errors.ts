import { ExperimentError, StatsInputError, UtilitiesInputError } from '../analysis/index.js';
import { ForkError, ModelSpecError, PersonaError, ReplayError, ScriptError } from '../agents/index.js';
import { FactorError, ScenarioError, TemplateError } from '../environments/index.js';
import { ExperimentBusyError, MergeConflictError, StoreCorruptError, StoreOpenError, StoreWriteError, TraceImportError } from '../traces/index.js';

/** A mistake in how the command was called: reported as one line, exit code 2. */
export class UsageError extends Error {}

/**
 * The command ran and printed its result, which is a failed check (a replay that does not match its
 * trace): exit code 1, nothing more is printed.
 */
export class CheckFailed extends Error {}

const INPUT_ERRORS = [UsageError, ReplayError, ForkError, ExperimentError, StatsInputError, UtilitiesInputError, ModelSpecError, PersonaError, ScriptError, FactorError, ScenarioError, TemplateError, StoreOpenError, TraceImportError, MergeConflictError];

/** Whether an error is the user's input being wrong (as opposed to a bug or an outage). */
export function isInputError(err: unknown): err is Error {
  return INPUT_ERRORS.some((cls) => err instanceof cls);
}

const OPERATIONAL_ERRORS = [StoreWriteError, StoreCorruptError, ExperimentBusyError];

/** Whether an error is a failure of the machine or the moment (a full disk, a held lock, a busy experiment), reported as one line. */
export function isOperationalError(err: unknown): err is Error {
  return OPERATIONAL_ERRORS.some((cls) => err instanceof cls);
}
