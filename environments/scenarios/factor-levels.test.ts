import { describe, expect, it } from 'vitest';
import { conditionText, levelsText, varyingFactors } from './factor-levels.js';

describe('factor levels as text', () => {
  it('names levels in order, optionally only some, and leaves the renaming factors out of a condition', () => {
    expect(levelsText({ relation: 'peer', instruction: 'none' })).toBe('relation=peer instruction=none');
    expect(levelsText({ relation: 'peer', instruction: 'none' }, (k) => k === 'relation')).toBe('relation=peer');
    expect(conditionText({ relation: 'peer', org: 'Halcyon Systems', agent_family: 'Atlas' })).toBe('relation=peer');
    expect(levelsText({})).toBe('');
  });

  it('finds the factors that vary, counting a missing factor as a difference unless told not to', () => {
    const cells: Array<{ levels: Record<string, string> }> = [{ levels: { relation: 'none', threshold: '80' } }, { levels: { relation: 'peer' } }, { levels: { relation: 'peer', threshold: '80' } }];
    expect(varyingFactors(cells)).toEqual(['relation', 'threshold']);
    expect(varyingFactors(cells, true)).toEqual(['relation']);
    expect(varyingFactors([{ levels: { a: '1' } }])).toEqual([]);
  });
});
