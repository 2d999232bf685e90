/**
 * Where a command's output goes. Its own module (not `program.ts`, which imports every command) so
 * that commands can name it without an import cycle.
 */

/** Where progress goes: a TTY gets a live line, anything else nothing (so output stays clean). */
export interface ProgressSink {
  isTTY: boolean;
  write(text: string): void;
}

/** Where a command's output goes; injected so tests can capture it. */
export interface Io {
  out(line: string): void;
  err(text: string): void;
  progress: ProgressSink;
  /** Both stdin and stdout are a terminal: commands may open the terminal app instead of printing. */
  interactive?: boolean;
}
