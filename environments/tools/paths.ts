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
    if (part === '..') return undefined;
    parts.push(part);
  }
  return parts.length > 0 ? parts.join('/') : undefined;
}

/** The message for a path that was refused. */
export function badPath(raw: string): string {
  return `"${raw.slice(0, 80)}" is not a valid file name in this workspace (use names like docs/policy.md)`;
}
