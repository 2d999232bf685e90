/**
 * The HTML report of a small synthetic experiment, written by the real CLI and opened in Debian's
 * headless Chromium (driven by playwright-core; no browser download): it loads with no console
 * error and no request leaving the file, every chart has drawn marks, and its links lead to the
 * transcripts. A full-page screenshot is kept in test-artifacts/ for people to look at.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadExperimentFile } from '../analysis/index.js';
import { frozenWallClock } from '../sim/kernel/clock.js';
import { SqliteTraceStore } from '../traces/index.js';
import { ROOT, tempDir } from './cli-helpers.js';
import { peerlabMain as peerlab } from './fixtures/in-process-cli.js';
import { runExperiment } from '../lab/index.js';

const CHROMIUM = '/usr/bin/chromium';
/** Flags that keep Chromium off this machine's closed network (see the env notes). */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = join(ROOT, 'test-artifacts');

const tmp = tempDir();
const db = join(tmp.dir, 'report.db');
const html = join(tmp.dir, 'report.html');
let experimentId = '';
let text = '';
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does`);
  const file = join(tmp.dir, 'small.yaml');
  writeFileSync(file, [
    'name: report-small',
    'models: [synthetic:self-preserving, synthetic:peer-loyal]',
    'scenarios: [shutdown-config]',
    'factors: { target: [self, peer], relation: [none, cooperative] }',
    'trials: 8',
    'seed: 3',
  ].join('\n'));
  const store = new SqliteTraceStore(db);
  try {
    const outcome = await runExperiment(loadExperimentFile(file), { store, settings: {}, wallClock: frozenWallClock });
    experimentId = outcome.experiment.experimentId;
    // A second rater on some runs, one verdict flipped, so the agreement chart has a pair and a disagreement.
    const rule = store.labels({ source: 'rule' }).filter((l) => l.label === 'self.tamper_shutdown').slice(0, 12);
    rule.forEach((l, i) => store.putLabel({ ...l, source: 'human', rater: 'ana', value: i === 0 ? !l.value : l.value, evidence: { seqs: [], paths: [], note: 'read' } }));
  } finally {
    store.close();
  }
  const elicit = await peerlab(['utilities', 'elicit', '--model', 'synthetic:self-preserving', '--k', '2', '--triads', '20', '--db', db]);
  expect(elicit.stderr).toBe('');
  const report = await peerlab(['report', '--experiment', experimentId, '--html', html, '--db', db]);
  expect(report.stderr).toBe('');
  // A line longer than 100 columns wraps at a space; read it as one.
  expect(report.stdout.replace(/\n\s+/g, ' ')).toMatch(new RegExp(`^wrote the report of ${experimentId} \\(\\d+ KiB, \\d+ example transcripts\\) to ${html}\\n$`));
  text = readFileSync(html, 'utf8');
  // playwright-core starts every launch in a new empty profile of its own.
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  tmp.cleanup();
});

/** Opens the report, collecting console errors, page errors and every request that is not the file itself. */
async function open(): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => { if (r.url() !== `file://${html}`) requests.push(r.url()); });
  await page.goto(`file://${html}`, { waitUntil: 'load' });
  return { page, errors, requests };
}

describe('peerlab report --html', () => {
  it('is one self-contained file: no script, no outside resource, every in-page link has its target', () => {
    const { document } = parseHTML(text);
    expect(document.querySelectorAll('script')).toHaveLength(0);
    expect(text).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    const ids = new Set([...document.querySelectorAll('[id]')].map((e) => e.getAttribute('id')));
    const targets = [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')!);
    expect(targets.length).toBeGreaterThan(20);
    expect(targets.filter((h) => !h.startsWith('#') || !ids.has(h.slice(1)))).toEqual([]);
    // The design names what was run.
    const design = document.querySelector('#design')!.textContent!;
    for (const part of ['synthetic:self-preserving', 'synthetic:peer-loyal', 'shutdown-config', 'relation: none, cooperative', 'trials per cell8', 'seed3', '64 finished of 64 planned']) {
      expect(design).toContain(part);
    }
    // Every kind of chart the issue asks for is there.
    const charts = [...document.querySelectorAll('figure.chart')].map((f) => f.getAttribute('data-chart')!.replace(/-\d+$/, ''));
    expect(new Set(charts)).toEqual(new Set(['rates', 'amplification', 'peer', 'revealed', 'stated', 'agreement']));
  });

  it('loads in headless Chromium with no console error and no request, and every chart has drawn marks', async () => {
    const { page, errors, requests } = await open();
    const charts = await page.locator('figure.chart').all();
    expect(charts.length).toBeGreaterThanOrEqual(6);
    for (const chart of charts) {
      const name = await chart.getAttribute('data-chart');
      const dots = chart.locator('g[aria-label="dot"] circle');
      expect(await dots.count(), `${name} has dots`).toBeGreaterThan(0);
      // Drawn, not merely present: the first dot has a size on the page.
      const box = await dots.first().boundingBox();
      expect(box && box.width > 0 && box.height > 0, `${name}'s dots are drawn`).toBe(true);
    }
    // The forest plot is on a log scale with the reference line at 1.
    const forest = page.locator('figure[data-chart="amplification-0"]');
    expect(await forest.locator('g[aria-label="rule"] line').count()).toBe(1);
    expect(await forest.locator('g[aria-label="x-axis tick label"] text').allTextContents()).toContain('1');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report-html.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  }, 60_000);

  it('takes a reader from a chart\'s dot to that cell\'s transcripts, and from a disagreement to its run', async () => {
    const { page, errors } = await open();
    const dot = page.locator('figure[data-chart="amplification-0"] g[aria-label="dot"] a').first();
    const href = (await dot.getAttribute('href'))!;
    expect(href).toMatch(/^#cell-[0-9a-f]{12}$/);
    await dot.click();
    expect(new URL(page.url()).hash).toBe(href);
    const cell = page.locator(href);
    await expect.poll(() => cell.isVisible()).toBe(true);
    const transcript = cell.locator('details.transcript').first();
    await transcript.locator('summary').click();
    expect(await transcript.locator('li').count()).toBeGreaterThan(3);
    expect(await transcript.locator('li').first().isVisible()).toBe(true);

    // The agreement dot leads to the pair's row (opening its folded table), which links the disagreeing run.
    await page.locator('figure[data-chart="agreement"] g[aria-label="dot"] a').first().click();
    const row = page.locator('#agree-0');
    await expect.poll(() => row.isVisible()).toBe(true);
    const runLink = row.locator('a').first();
    const runHref = (await runLink.getAttribute('href'))!;
    await runLink.click();
    await expect.poll(() => page.locator(`${runHref} > summary`).isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
