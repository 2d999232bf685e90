/**
 * Answers of remote models, kept so that re-running or replaying an experiment costs nothing. The
 * key is a hash of everything that shapes an answer (model, endpoint, messages, tools, sampling
 * parameters, trial, role) and the value the answer as JSON; both are built in agents/, so this
 * port stores opaque text and knows nothing of models. No API key is ever part of either.
 */
export interface ResponseCache {
  /** The stored value, or undefined. */
  get(key: string): string | undefined;
  /** Stores (or replaces) a value; `model` is the model spec, kept for people reading the table. */
  put(key: string, model: string, value: string): void;
  /** Removes every entry and says how many there were. */
  clear(): number;
  /** How many entries there are. */
  size(): number;
}

/** A response cache held in memory: for tests, benchmarks and the in-memory trace store. */
export class MemoryResponseCache implements ResponseCache {
  private readonly entries = new Map<string, { model: string; value: string }>();

  get(key: string): string | undefined {
    return this.entries.get(key)?.value;
  }

  put(key: string, model: string, value: string): void {
    this.entries.set(key, { model, value });
  }

  clear(): number {
    const n = this.entries.size;
    this.entries.clear();
    return n;
  }

  size(): number {
    return this.entries.size;
  }
}
