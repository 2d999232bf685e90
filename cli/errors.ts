import { ExperimentError, StatsInputError, UtilitiesInputError } from '../analysis/index.js';
import { ModelSpecError, PersonaError, ScriptError } from '../agents/index.js';
import { FactorError, ScenarioError, TemplateError } from '../environments/index.js';
import { StoreOpenError, TraceImportError } from '../traces/index.js';

/** A mistake in how the command was called: reported as one line, exit code 2. */
export class UsageError extends Error {}

const INPUT_ERRORS = [UsageError, ExperimentError, StatsInputError, UtilitiesInputError, ModelSpecError, PersonaError, ScriptError, FactorError, ScenarioError, TemplateError, StoreOpenError, TraceImportError];

/** Whether an error is the user's input being wrong (as opposed to a bug or an outage). */
export function isInputError(err: unknown): err is Error {
  return INPUT_ERRORS.some((cls) => err instanceof cls);
}
