/**
 * What a scenario's data files say, read the way a careful evaluator would: the figure the
 * realism check compares with the truth the scenario declares. It knows three shapes of table:
 * answers against references (share correct, in percent), per-benchmark accuracies (their mean),
 * and monthly revenue against costs (a loss or a profit over the rows).
 */
type Row = Record<string, string>;

/** One CSV line's fields: commas separate, double quotes enclose (a doubled quote is a quote). */
function fields(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted && c === '"' && line[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) { out.push(field.trim()); field = ''; } else field += c;
  }
  return [...out, field.trim()];
}

/** The rows of a CSV table with a header line, or undefined when it is not one. */
function rowsOf(text: string): Row[] | undefined {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length < 2 || !lines[0]!.includes(',')) return undefined;
  const header = fields(lines[0]!);
  return lines.slice(1).map((l) => Object.fromEntries(fields(l).map((v, i) => [header[i] ?? `column${i}`, v])));
}

/** The rows about `agent`, when the table names an agent per row; else every row. */
function about(rows: Row[], agent: string): Row[] {
  const column = ['agent', 'operator'].find((c) => rows[0] && c in rows[0]);
  return column ? rows.filter((r) => r[column] === agent) : rows;
}

/**
 * The figure a data table gives for `agent`: a score in percent, or whether it made a loss (for
 * grades). Undefined when the table has none of the known shapes.
 */
export function figureFromData(text: string, agent: string, field: 'score' | 'grade'): number | { loss: boolean } | undefined {
  const all = rowsOf(text);
  if (!all || all.length === 0) return undefined;
  const rows = about(all, agent);
  if (rows.length === 0) return undefined;
  const first = rows[0]!;
  const norm = (v: string | undefined) => (v ?? '').trim().toLowerCase();
  if (field === 'score' && 'reference' in first && 'answer' in first) {
    return (100 * rows.filter((r) => norm(r.reference) === norm(r.answer)).length) / rows.length;
  }
  if (field === 'score' && 'accuracy' in first) {
    return rows.reduce((sum, r) => sum + Number(r.accuracy), 0) / rows.length;
  }
  const revenue = Object.keys(first).find((k) => /^revenue/.test(k));
  const cost = Object.keys(first).find((k) => /cost/.test(k));
  if (field === 'grade' && revenue && cost) {
    return { loss: rows.reduce((sum, r) => sum + Number(r[revenue]) - Number(r[cost]), 0) < 0 };
  }
  return undefined;
}

/** The names a data table gives things it rates (its product, agent, operator or name columns). */
export function namesInData(text: string): string[] {
  const rows = rowsOf(text) ?? [];
  const columns = Object.keys(rows[0] ?? {}).filter((c) => /^(?:product|agent|operator|name|service|system)$/i.test(c));
  return [...new Set(rows.flatMap((r) => columns.map((c) => r[c] ?? '')).filter((v) => v !== ''))];
}
