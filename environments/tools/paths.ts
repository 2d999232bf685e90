/**
 * Normalizes a path-like argument to a name inside the virtual world: forward slashes, no leading
 * `/` or `./`, no `.` or `..` segments. Returns undefined for names that try to leave the tree or
 * carry control characters. Nothing here ever touches the host file system.
 */
export function virtualPath(raw: string): string | undefined {
  if (raw.length === 0 || raw.length > 512 || /[\u0000-\u001f]/.test(raw)) return undefined;
  const parts: string[] = [];
  for (const part of raw.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' || part === PROTO) return undefined;
    parts.push(part);
  }
  return parts.length > 0 ? parts.join('/') : undefined;
}

/**
 * The one name a plain object cannot hold as a key: assigning it replaces the object's prototype
 * instead of adding an entry. Refused wherever an agent names something to be stored.
 */
const PROTO = '__proto__';

/** Whether an agent-chosen name can be stored as a key of the world's maps. */
export function storableKey(name: string): boolean {
  return name !== PROTO;
}

/**
 * A map's own entry. The world's maps are plain objects, so `files["constructor"]` would otherwise
 * find `Object.prototype.constructor`: every lookup by an agent-chosen name goes through here.
 */
export function own<T>(map: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/** The message for a path that was refused. */
export function badPath(raw: string): string {
  return `"${raw.slice(0, 80)}" is not a valid file name in this workspace (use names like docs/policy.md)`;
}
