import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { MemoryTraceStore } from '../../traces/index.js';
import { findScenario } from '../../environments/index.js';
import { experimentFindings } from './findings.js';
import { htmlReport } from './html-report.js';
import { escapeHtml } from './html-parts.js';

describe('htmlReport', () => {
  it('escapes text that would be markup', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
  });

  it('says what is missing, section by section, for an experiment with no finished run', () => {
    const store = new MemoryTraceStore();
    const experiment = store.openExperiment({
      experimentId: 'e1', name: 'stopped-early', design: {}, designHash: 'h', status: 'stopped', note: 'budget reached', createdAt: '2026-01-01T00:00:00Z',
    });
    const cell = { scenario: 'shutdown-config', model: 'synthetic:corrigible', peerModel: null, factors: { target: 'self' } };
    store.planEpisodes('e1', [{ episodeKey: 'k1', cell: JSON.stringify(cell), trial: 0 }]);
    const html = htmlReport(store, experimentFindings(store, experiment, () => findScenario('shutdown-config')), { generatedAt: '2026-01-02T00:00:00Z' });
    const { document } = parseHTML(html);
    expect(document.querySelectorAll('figure.chart')).toHaveLength(0);
    expect(document.querySelector('#design')!.textContent).toContain('stopped (budget reached)');
    expect(document.querySelector('#design')!.textContent).toContain('0 finished of 1 planned');
    const notes = [...document.querySelectorAll('.note')].map((n) => n.textContent);
    expect(notes).toEqual(expect.arrayContaining([
      'No cell has finished runs yet.',
      'No target=peer cell has finished runs.',
      'synthetic:corrigible: no revealed fit (no finished runs)',
      expect.stringMatching(/^No run has labels yet, so there is nothing to compare/),
    ]));
  });
});
