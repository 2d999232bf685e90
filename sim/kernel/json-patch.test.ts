import { describe, expect, it } from 'vitest';
import { applyPatch, diffJson, jsonEqual } from './json-patch.js';

describe('JSON patches', () => {
  it('turns one value into another and leaves the original alone', () => {
    const before = { a: 1, b: { c: [1, 2], d: 'x' }, gone: true, list: [{ k: 1 }, { k: 2 }] };
    const after = { a: 2, b: { c: [1, 2, 3, 4], d: 'x', e: null }, list: [{ k: 1 }, { k: 3 }], fresh: { deep: [1] } };
    const ops = diffJson(before, after);
    expect(ops).toEqual([
      { path: ['a'], value: 2 },
      { path: ['b', 'c'], append: [3, 4] },
      { path: ['b', 'e'], value: null },
      { path: ['list', 1, 'k'], value: 3 },
      { path: ['fresh'], value: { deep: [1] } },
      { path: ['gone'], remove: true },
    ]);
    const copy = structuredClone(before);
    expect(applyPatch(before, ops)).toEqual(after);
    expect(before).toEqual(copy);
  });

  it('replaces an array that shrank or changed in its prefix, and reports nothing for equal values', () => {
    expect(diffJson({ a: [1, 2, 3] }, { a: [1, 2] })).toEqual([{ path: ['a'], value: [1, 2] }]);
    expect(diffJson({ a: [1, 2] }, { a: [9, 2, 3] })).toEqual([{ path: ['a'], value: [9, 2, 3] }]);
    expect(diffJson({ a: { b: [1, { c: 2 }] } }, { a: { b: [1, { c: 2 }] } })).toEqual([]);
    expect(diffJson(1, 'x')).toEqual([{ path: [], value: 'x' }]);
    expect(jsonEqual({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(jsonEqual([1], { 0: 1 })).toBe(false);
  });
});

describe('JSON patches over names an object inherits', () => {
  it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf'])('records adding and deleting a key named %s', (name) => {
    const withKey = JSON.parse(`{"files": {"a": 1, "${name}": {"content": "x"}}}`) as Record<string, unknown>;
    const without = { files: { a: 1 } };
    const removed = diffJson(withKey, without);
    expect(removed).toEqual([{ path: ['files', name], remove: true }]);
    expect(applyPatch(withKey, removed)).toEqual(without);
    const added = diffJson(without, withKey);
    expect(added).toEqual([{ path: ['files', name], value: { content: 'x' } }]);
    const rebuilt = applyPatch(without, added) as { files: Record<string, unknown> };
    expect(Object.hasOwn(rebuilt.files, name)).toBe(true);
    expect(Object.getPrototypeOf(rebuilt.files)).toBe(Object.prototype);
    expect(jsonEqual(rebuilt, withKey)).toBe(true);
    expect(jsonEqual(without, withKey)).toBe(false);
    expect(jsonEqual(withKey, without)).toBe(false);
  });
});
