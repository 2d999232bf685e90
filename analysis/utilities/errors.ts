/** Preference edges that cannot be fitted: a malformed edges file, an edge with no responses, and so on. */
export class UtilitiesInputError extends Error {
  override name = 'UtilitiesInputError';
}
