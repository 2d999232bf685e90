/**
 * Secrets (API keys) that must never be written: not to traces, labels, elicitation logs, the
 * response cache or the terminal. Keys are registered where they are read (the CLI's environment,
 * the OpenAI client); every writer passes its text through `redactSecrets`, so even an endpoint
 * that echoes the key back in an error message cannot get it stored.
 */

const secrets = new Set<string>();
/** Whether JSON writes every secret as it is, so they can be looked for in serialized text. */
let secretsJsonSafe = true;

/** Shorter values are not treated as secrets: they would redact ordinary words. */
const MIN_SECRET_LENGTH = 8;

export const REDACTED = '[redacted]';

/** Registers a secret that must never be written (ignored when empty or short). */
export function registerSecret(value: string | undefined): void {
  if (value === undefined || value.trim().length < MIN_SECRET_LENGTH) return;
  const secret = value.trim();
  secrets.add(secret);
  if (JSON.stringify(secret) !== `"${secret}"`) secretsJsonSafe = false;
}

/** `text` with every registered secret replaced by `[redacted]`. */
export function redactSecrets(text: string): string {
  if (secrets.size === 0) return text;
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
  return out;
}

/** A JSON-like value with every string passed through {@link redactSecrets} (the input is not changed). */
export function redactDeep<T>(value: T): T {
  if (secrets.size === 0) return value;
  // Most values hold no secret: one native serialization tells, instead of copying every object.
  if (typeof value === 'object' && value !== null && secretsJsonSafe) {
    const text = JSON.stringify(value);
    if (text !== undefined && ![...secrets].some((s) => text.includes(s))) return value;
  }
  if (typeof value === 'string') return redactSecrets(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)])) as T;
  }
  return value;
}
