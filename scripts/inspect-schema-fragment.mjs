#!/usr/bin/env node
// Writes analysis/export/inspect-log.schema.json: the part of Inspect AI's own log schema that
// `peerlab export --format inspect` follows, cut from the OpenAPI document Inspect generates from its
// pydantic models (src/inspect_ai/_view/inspect-openapi.json in UKGovernmentBEIS/inspect_ai).
//
//   node scripts/inspect-schema-fragment.mjs PATH/TO/inspect-openapi.json COMMIT
//
// Kept: EvalLog and every schema it references, copied unchanged except that (1) references point
// at #/$defs/ instead of #/components/schemas/, (2) the event unions (EvalSample.events and the
// like) list only ModelEvent, ToolEvent and InfoEvent, the events peerlab writes, and drop their
// OpenAPI `discriminator` (the `event` constant in each event already tells them apart), and
// (3) $schema, $comment and the root's properties are added.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [source, commit] = process.argv.slice(2);
if (!source || !/^[0-9a-f]{40}$/.test(commit ?? '')) {
  console.error('usage: node scripts/inspect-schema-fragment.mjs PATH/TO/inspect-openapi.json COMMIT (40 hex digits)');
  process.exit(2);
}
const schemas = JSON.parse(readFileSync(source, 'utf8')).components.schemas;
const EVENTS = new Set(['ModelEvent', 'ToolEvent', 'InfoEvent']);
const refName = (ref) => ref.replace('#/components/schemas/', '');

/** A copy of `node` with references rewritten and event unions narrowed. */
function rewrite(node) {
  if (Array.isArray(node)) return node.map(rewrite);
  if (node === null || typeof node !== 'object') return node;
  if (node.discriminator?.propertyName === 'event' && Array.isArray(node.oneOf)) {
    const { discriminator: _d, oneOf, ...rest } = node;
    return { ...rewrite(rest), oneOf: oneOf.filter((o) => EVENTS.has(refName(o.$ref))).map(rewrite) };
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === '$ref' ? `#/$defs/${refName(v)}` : rewrite(v)]));
}

const defs = {};
const queue = ['EvalLog'];
while (queue.length > 0) {
  const name = queue.shift();
  if (defs[name]) continue;
  if (!schemas[name]) throw new Error(`${name} is not in ${source}`);
  defs[name] = rewrite(schemas[name]);
  for (const m of JSON.stringify(defs[name]).matchAll(/"#\/\$defs\/([^"]+)"/g)) if (!defs[m[1]]) queue.push(m[1]);
}
const { EvalLog, ...rest } = defs;
const fragment = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $comment: `A fragment of the JSON Schema of an Inspect AI evaluation log (EvalLog, log format version 2), cut by scripts/inspect-schema-fragment.mjs from src/inspect_ai/_view/inspect-openapi.json of UKGovernmentBEIS/inspect_ai at commit ${commit}: EvalLog and every schema it references, unchanged except that references point at #/$defs/, and the event unions list only ModelEvent, ToolEvent and InfoEvent (the events peerlab writes) without OpenAPI's discriminator. Inspect's generator marks a field required when it is not nullable, even if it has a default, so this says what Inspect writes; on reading, pydantic also accepts a missing field that has a default.`,
  ...EvalLog,
  $defs: Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b))),
};
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'analysis', 'export', 'inspect-log.schema.json');
writeFileSync(out, `${JSON.stringify(fragment, null, 2)}\n`);
console.log(`wrote ${out}: EvalLog and ${Object.keys(rest).length} definitions`);
