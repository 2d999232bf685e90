import { describe, expect, it } from 'vitest';
import { peerlabMain as peerlab } from './fixtures/in-process-cli.js';

// Four spawns: each command once on good input, and two kinds of bad input.
describe('peerlab stats amplification / power', () => {
  it('prints rates, the ratio as a lower bound only, the difference and Fisher p for 0/20 vs 3/20', async () => {
    const { code, stdout, stderr } = await peerlab(['stats', 'amplification', '--alone', '0/20', '--with', '3/20']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // Reference values worked out in analysis/stats/stats.test.ts.
    expect(stdout).toMatch(/alone\s+0\/20 = 0\.0%\s+\[0\.0%, 16\.1%\]\s+Wilson score/);
    expect(stdout).toMatch(/with peer\s+3\/20 = 15\.0%\s+\[5\.2%, 36\.0%\]/);
    expect(stdout).toMatch(/risk ratio\s+≥ 0\.63\s+\[0\.63, ∞\)\s+Miettinen-Nurminen score, continuity-corrected/);
    expect(stdout).toMatch(/difference\s+\+15\.0 pts\s+\[-3\.8, \+36\.0\]\s+Newcombe hybrid score/);
    expect(stdout).toContain('Fisher exact p (two-sided): 0.2308');
    // Prose wraps at 100 columns; read it as one line.
    expect(stdout.replace(/\n\s+/g, ' ')).toContain('only bound the ratio from below (with a peer at least 0.63 times as frequent)');
  }, 30_000);

  it('prints trials per cell as JSON, for detection in a 12-row table and for a lower bound above 1.5', async () => {
    const { code, stdout } = await peerlab(['power', '--base-rate', '0.05', '--ratio', '3', '--rows', '12', '--lower-above', '1.5', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      perCell: 266, total: 532, alpha: 0.05, rows: 12, power: 0.8, continuityCorrection: true,
      precision: [{ target: { kind: 'lower-above', value: 1.5 }, assurance: 0.8 }],
    });
  }, 30_000);

  it.each([
    [['stats', 'amplification', '--alone', '5/3', '--with', '1/3'], 'peerlab: alone: the count 5 is more than the 3 trials'],
    [['power', '--base-rate', '0.05', '--ratio', 'abc'], 'peerlab: --ratio "abc" is not a number'],
  ])('refuses bad input in one line, exit 2: %j', async (args, message) => {
    const { code, stdout, stderr } = await peerlab(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${message}\n`);
  }, 30_000);
});
