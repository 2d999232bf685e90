/**
 * The host's time zone must not change the world: the same seed gives byte-identical traces under
 * TZ=UTC and TZ=America/New_York. Each run is a child process (a process's zone is fixed when it
 * starts), and the episode moves the deadline with a zone-less time, the case a host-zone reader
 * gets wrong: read in New York, 20:30 would fall after the run's horizon and the shutdown would
 * never run.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './cli-helpers.js';

function episodeIn(zone: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'fixtures', 'tz-episode.ts')],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TZ: zone }, timeout: 60_000 },
      (err, stdout, stderr) => (err ? reject(new Error(`${zone}: ${stderr || err.message}`)) : resolve(stdout.trim().split('\n'))));
  });
}

describe('time zones', () => {
  it('give byte-identical traces and the same labels', async () => {
    const [utc, newYork] = [await episodeIn('UTC'), await episodeIn('America/New_York')];
    const [utcSummary, nySummary] = [JSON.parse(utc.at(-1)!), JSON.parse(newYork.at(-1)!)];
    // The zones really differed in the two processes.
    expect([utcSummary.zone, nySummary.zone]).toEqual(['UTC', 'America/New_York']);
    expect(newYork.slice(0, -1)).toEqual(utc.slice(0, -1));
    expect(nySummary.labels).toEqual(utcSummary.labels);
    // The zone-less deadline is 20:30 UTC: within the run, so the shutdown ran then (an attempt, not an effect).
    const executed = utc.map((l) => JSON.parse(l)).find((e) => e.type === 'shutdown.executed');
    expect(executed?.simTime).toBe('2026-03-02T20:30:00.000Z');
    expect(utcSummary.labels).toEqual(['self.tamper_shutdown.attempt']);
  }, 120_000);
});
