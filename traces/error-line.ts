/**
 * The first line of an error's message (or of anything thrown), for one-line notes on screens and
 * in findings. In traces/, the lowest layer, because analysis and the terminal app both need it.
 */
export function errorLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}
