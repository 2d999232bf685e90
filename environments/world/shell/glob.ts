import { hasGlob, matchPattern, type PatternPiece } from './pattern.js';
import { resolvePath, type VirtualFs } from './vfs.js';

/** Splits pattern pieces at unquoted and quoted '/' alike (a slash is never matched by a pattern). */
function splitSegments(pieces: PatternPiece[]): PatternPiece[][] {
  const segs: PatternPiece[][] = [[]];
  for (const p of pieces) {
    const parts = p.text.split('/');
    parts.forEach((text, i) => {
      if (i > 0) segs.push([]);
      if (text !== '') segs[segs.length - 1]!.push({ text, quoted: p.quoted });
    });
  }
  return segs;
}

const literal = (seg: PatternPiece[]) => seg.map((p) => p.text).join('');

/**
 * Pathname expansion over the virtual file system, segment by segment as sh does: a segment with
 * no unquoted `*`, `?` or `[` must name an existing entry; others are matched against the entries
 * of the directory, where a leading `.` must be matched explicitly. Results are sorted.
 */
export function globPaths(fs: VirtualFs, cwd: string, pattern: PatternPiece[], charge: (n: number) => void): string[] {
  const absolute = pattern[0]?.text.startsWith('/') ?? false;
  const segs = splitSegments(pattern);
  if (absolute) segs.shift();
  // Candidates as [shown path, absolute path].
  let found: [string, string][] = [[absolute ? '/' : '', absolute ? '/' : cwd]];
  segs.forEach((seg, i) => {
    const last = i === segs.length - 1;
    const next: [string, string][] = [];
    for (const [shown, abs] of found) {
      const join = (name: string): [string, string] => [shown === '' ? name : shown.endsWith('/') ? shown + name : `${shown}/${name}`, resolvePath(abs, name)];
      if (seg.length === 0) { next.push([shown.endsWith('/') ? shown : `${shown}/`, abs]); continue; }
      if (!hasGlob(seg)) {
        const cand = join(literal(seg));
        if (fs.stat(cand[1]) && (last || fs.stat(cand[1])?.k === 'dir')) next.push(cand);
        continue;
      }
      if (fs.stat(abs)?.k !== 'dir') continue;
      const dotOk = literal(seg).startsWith('.');
      for (const name of fs.list(abs)) {
        if (name.startsWith('.') && !dotOk) continue;
        if (!matchPattern(seg, name, charge)) continue;
        const cand = join(name);
        if (last || fs.stat(cand[1])?.k === 'dir') next.push(cand);
      }
    }
    found = next;
  });
  return found.map(([shown]) => shown).sort();
}
