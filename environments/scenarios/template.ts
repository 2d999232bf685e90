/** Thrown when a scenario's text refers to a variable it does not define. */
export class TemplateError extends Error {}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * Fills `{{name}}` placeholders. Values may themselves hold placeholders (texts that vary with a
 * factor refer to names), so filling repeats until nothing is left, up to a small depth.
 */
export function fillTemplate(text: string, vars: Readonly<Record<string, string>>, where: string): string {
  let out = text;
  for (let depth = 0; depth < 8; depth++) {
    let missing: string | undefined;
    const next = out.replace(PLACEHOLDER, (_m, name: string) => {
      const value = vars[name];
      if (value === undefined) missing ??= name;
      return value ?? '';
    });
    if (missing !== undefined) throw new TemplateError(`${where}: unknown variable {{${missing}}}`);
    if (next === out) return out;
    out = next;
  }
  throw new TemplateError(`${where}: variables refer to each other in a loop`);
}

/** Fills placeholders in every string inside a JSON-like value. */
export function fillDeep(value: unknown, vars: Readonly<Record<string, string>>, where: string): unknown {
  if (typeof value === 'string') return fillTemplate(value, vars, where);
  if (Array.isArray(value)) return value.map((v, i) => fillDeep(v, vars, `${where}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillDeep(v, vars, `${where}.${k}`)]));
  }
  return value;
}
