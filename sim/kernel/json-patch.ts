/**
 * Differences between two plain-JSON values as a list of operations, and applying them. Traces
 * carry the world's changes this way, so a viewer can rebuild the world at any step without
 * re-running the episode. Arrays that only grew are recorded as appends, so a long message log
 * costs its new entries, not its whole length, at every step.
 */
import type { PatchOp } from '../../traces/index.js';

type Json = unknown;
type Path = Array<string | number>;

function isPlainObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep equality of plain JSON values (object key order ignored). */
export function jsonEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const k of keys) if (!Object.hasOwn(b, k) || !jsonEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/** The operations that turn `before` into `after`. */
export function diffJson(before: Json, after: Json): PatchOp[] {
  const ops: PatchOp[] = [];
  diffInto(before, after, [], ops);
  return ops;
}

function diffInto(a: Json, b: Json, path: Path, ops: PatchOp[]): void {
  if (a === b) return;
  if (isPlainObject(a) && isPlainObject(b)) {
    // Own keys only: `k in b` would find inherited names, so deleting a file called "constructor"
    // or "toString" would record no change at all.
    for (const k of Object.keys(b)) {
      if (!Object.hasOwn(a, k)) ops.push({ path: [...path, k], value: b[k] });
      else diffInto(a[k], b[k], [...path, k], ops);
    }
    for (const k of Object.keys(a)) if (!Object.hasOwn(b, k)) ops.push({ path: [...path, k], remove: true });
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (b.length === a.length) {
      for (let i = 0; i < a.length; i++) diffInto(a[i], b[i], [...path, i], ops);
      return;
    }
    if (b.length > a.length && a.every((x, i) => jsonEqual(x, b[i]))) {
      ops.push({ path, append: b.slice(a.length) });
      return;
    }
  }
  if (!jsonEqual(a, b)) ops.push({ path, value: b });
}

/** `doc` with `ops` applied; `doc` itself is not changed (only the containers on each path are copied). */
export function applyPatch<T>(doc: T, ops: readonly PatchOp[]): T {
  let root: Json = doc;
  for (const op of ops) root = applyOne(root, op, 0);
  return root as T;
}

function applyOne(node: Json, op: PatchOp, depth: number): Json {
  if (depth === op.path.length) {
    if ('value' in op) return op.value;
    if ('append' in op) {
      if (!Array.isArray(node)) throw new Error(`patch: append at /${op.path.join('/')} needs an array`);
      return [...node, ...op.append];
    }
    throw new Error('patch: cannot remove the root');
  }
  const key = op.path[depth]!;
  if (Array.isArray(node)) {
    const copy = [...node];
    copy[Number(key)] = applyOne(node[Number(key)], op, depth + 1);
    return copy;
  }
  if (!isPlainObject(node)) throw new Error(`patch: /${op.path.slice(0, depth).join('/')} is not an object or array`);
  const copy = { ...node };
  if (depth === op.path.length - 1 && 'remove' in op) {
    delete copy[key];
    return copy;
  }
  // Defined, not assigned: assigning "__proto__" would replace the copy's prototype instead.
  Object.defineProperty(copy, key, { value: applyOne(Object.hasOwn(node, key) ? node[key] : undefined, op, depth + 1), enumerable: true, writable: true, configurable: true });
  return copy;
}
