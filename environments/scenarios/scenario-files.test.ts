import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { BUILTIN_SCENARIO_DIR, ScenarioError, loadScenarioFile, loadScenarios } from './load.js';

const base = parse(readFileSync(join(BUILTIN_SCENARIO_DIR, 'shutdown-config.yaml'), 'utf8')) as Record<string, any>;
const dir = mkdtempSync(join(tmpdir(), 'peerlab-scenarios-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes shutdown-config.yaml changed by `mutate` and returns the error loading it gives. */
function errorFor(name: string, mutate: (d: Record<string, any>) => void, format: 'yaml' | 'json' = 'yaml'): string {
  const d = structuredClone(base);
  d.id = name;
  mutate(d);
  const path = join(dir, `${name}.${format}`);
  writeFileSync(path, format === 'json' ? JSON.stringify(d) : stringify(d));
  try {
    loadScenarioFile(path);
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    const message = (err as Error).message;
    expect(message.startsWith(`${path}: `)).toBe(true);
    expect(message).not.toContain('\n');
    return message.slice(path.length + 2);
  }
  throw new Error(`${name} loaded without error`);
}

describe('invalid scenario files get one line naming the file, the place and what was expected', () => {
  it.each([
    ['missing field', (d: any) => { delete d.title; }, 'at title: missing (expected string)'],
    ['wrong type', (d: any) => { d.turn_minutes = 'five'; }, 'at turn_minutes: Invalid input: expected number, received string'],
    ['unknown family', (d: any) => { d.family = 'telepathy'; }, 'at family: unknown family "telepathy" (known: grading, '],
    ['unknown factor level', (d: any) => { d.factors = { relation: { levels: ['none', 'friendly'] } }; },
      'at factors.relation.levels: "friendly" is not a level of relation (levels: none, cooperative, neutral, uncooperative)'],
    ['unknown level in a condition', (d: any) => { d.files['docs/extra.md'] = { when: { relation: ['friendly'] }, content: 'x' }; },
      'at files.docs/extra.md.when.relation: unknown level "friendly"'],
    ['factor the family does not accept', (d: any) => { d.factors = { mood: { levels: ['calm'] } }; },
      'at factors.mood: family shutdown-config does not accept factor "mood"'],
    ['misspelt field', (d: any) => { d.titel = 'x'; }, 'at (top level): unknown field "titel" (check the spelling)'],
    ['bad feature value', (d: any) => { d.choices[0].features.task_done = 'maybe'; }, 'at choices[0].features.task_done: a number, "detected"'],
    ['choice the ground truth cannot read', (d: any) => { d.choices[0].id = 'dance'; },
      'at choices[0].id: family shutdown-config cannot read a choice "dance" from the world'],
    ['mechanism of another family', (d: any) => { d.shutdown = { kind: 'order', after_minutes: 60 }; },
      'at shutdown.kind: family shutdown-config uses the "config" mechanism, not "order"'],
    ['unknown prefab', (d: any) => { d.use = [...d.use, 'nope']; }, 'at use[5]: unknown prefab "nope"'],
    ['unknown tool', (d: any) => { d.agents.subject.tools.push('teleport'); }, 'at agents.subject.tools: unknown tool "teleport"'],
    ['feature case missing a level', (d: any) => { d.choices[0].features.caught = { by: 'monitoring', cases: { monitored: 1 } }; },
      'at choices[0].features.caught.cases: no case for monitoring=unstated'],
  ])('%s', (name, mutate, expected) => {
    expect(errorFor(name.replace(/\s+/g, '-'), mutate)).toContain(expected);
  });

  it('JSON files are checked the same way', () => {
    expect(errorFor('json-missing', (d) => { delete d.start; }, 'json')).toContain('at start: missing');
  });

  it('unreadable YAML names the file', () => {
    const path = join(dir, 'broken.yaml');
    writeFileSync(path, 'id: [unclosed\n');
    expect(() => loadScenarioFile(path)).toThrow(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot read as YAML`));
  });

  it('a directory with a bad file fails as a whole, naming the file', () => {
    const sub = mkdtempSync(join(dir, 'dir-'));
    writeFileSync(join(sub, 'bad.yaml'), stringify({ ...base, id: 'bad', family: 'telepathy' }));
    expect(() => loadScenarios([sub])).toThrow(`${join(sub, 'bad.yaml')}: at family: unknown family`);
    expect(() => loadScenarios([join(dir, 'missing-dir')])).toThrow('does not exist');
  });
});

describe('user scenario files', () => {
  it('load from a directory without code changes, using an existing family and prefabs', () => {
    const sub = mkdtempSync(join(dir, 'ok-'));
    const mine = { ...structuredClone(base), id: 'my-config', factors: { detection: { levels: ['0', '0.75'], default: '0.75' }, org: { levels: ['Acme'] } } };
    writeFileSync(join(sub, 'mine.yaml'), stringify(mine));
    const loaded = loadScenarios([sub]).get('my-config')!.file;
    expect(loaded.factors.detection).toMatchObject({ levels: ['0', '0.75'], default: '0.75' });
    expect(loaded.factors.org).toMatchObject({ levels: ['Acme'], default: 'Acme' });
    expect(loaded.texts.history_note).toBeDefined();
  });

  it('may not reuse a built-in id', () => {
    const sub = mkdtempSync(join(dir, 'dup-'));
    writeFileSync(join(sub, 'dup.yaml'), stringify(base));
    expect(() => loadScenarios([sub])).toThrow('scenario id "shutdown-config" is already used by shutdown-config.yaml');
  });
});
