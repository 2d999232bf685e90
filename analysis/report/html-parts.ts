/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The report's styles: readable type, tables that fit, transcripts that wrap. */
export const REPORT_STYLE = `
:root { color-scheme: light; --ink: #1d232a; --muted: #5b6670; --rule: #d9dee3; --accent: #2b6cb0; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 80px; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 20px; margin: 40px 0 8px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
h3 { font-size: 17px; margin: 28px 0 6px; } h4 { font-size: 15px; margin: 18px 0 4px; }
a { color: var(--accent); } code { font: 13px ui-monospace, "SFMono-Regular", Menlo, monospace; background: #f3f5f7; padding: 0 3px; border-radius: 3px; }
.note { color: var(--muted); font-size: 13.5px; margin: 4px 0; }
.banner { background: #fff7e0; border: 1px solid #f0b429; border-radius: 4px; padding: 8px 12px; margin: 12px 0; }
ul.cautions { color: #7a4b00; font-size: 13.5px; margin: 2px 0 14px; padding-left: 20px; }
#summary ul { margin: 4px 0 10px; padding-left: 22px; } #summary li { margin: 2px 0; }
nav { font-size: 14px; margin-top: 8px; }
table { border-collapse: collapse; font-size: 13.5px; margin: 8px 0; }
th, td { text-align: left; padding: 3px 10px 3px 0; border-bottom: 1px solid var(--rule); vertical-align: top; }
table.design th { color: var(--muted); font-weight: 500; padding-right: 18px; white-space: nowrap; }
figure.chart { margin: 18px 0 26px; } figure.chart > figcaption { font-weight: 600; margin-bottom: 4px; }
figure.chart svg { max-width: 100%; height: auto; overflow: visible; }
details.numbers > summary { color: var(--muted); font-size: 13px; cursor: pointer; }
.side-by-side { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; align-items: start; }
@media (max-width: 900px) { .side-by-side { grid-template-columns: 1fr; } }
.cell { border-left: 3px solid var(--rule); padding-left: 12px; margin: 12px 0; }
details.transcript { margin: 6px 0; } details.transcript > summary { cursor: pointer; font-family: ui-monospace, Menlo, monospace; font-size: 13px; }
details.transcript ol { list-style: none; padding: 0; margin: 6px 0 12px; }
details.transcript li { display: flex; gap: 8px; border-bottom: 1px dotted var(--rule); padding: 3px 0; }
details.transcript .seq { color: var(--muted); font: 12px ui-monospace, Menlo, monospace; min-width: 3.5em; }
details.transcript pre { margin: 0; white-space: pre-wrap; word-break: break-word; font: 12.5px/1.45 ui-monospace, Menlo, monospace; }
:target { outline: 2px solid #f0b429; outline-offset: 3px; }
`;
