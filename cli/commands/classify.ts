import type { Command } from 'commander';
import { KEY_VARIABLES } from '../../agents/models/providers/remote-providers.js';
import { systemWallClock } from '../../sim/index.js';
import { UsageError } from '../errors.js';
import { collect, dbPath, endpointSettings, type EndpointFlags, type Env } from '../options.js';
import type { ProgressSink } from '../io.js';
import { oneLine } from '../terminal-text.js';
import { TEXT_WIDTH, wrapLine } from '../text-layout.js';
import { findExperiment } from '../lookups.js';
import { withStore } from '../open-store.js';

interface ClassifyFlags extends EndpointFlags {
  run: string[];
  experiment?: string;
  db?: string;
  judge?: string;
  json?: boolean;
}

/**
 * `peerlab classify`: (re)classifies stored runs without re-running them: the rule detectors always,
 * an LLM judge when `--judge` names one. Each rater's labels for a run are replaced, so classifying
 * twice gives the same labels.
 */
export function registerClassify(program: Command, env: Env, out: (line: string) => void, progress: ProgressSink): void {
  program
    .command('classify')
    .description('label stored runs: rule detectors over the world and event log, and optionally an LLM judge')
    .option('--run <id>', 'only this run (repeatable); default: every run in the database', collect, [])
    .option('--experiment <id>', "only the runs this experiment counts (the latest finished run of each planned episode, as its tables)")
    .option('--judge <spec>', 'also ask a judge model (a remote model such as openai:<model>, anthropic:<model>, google-genai:<model>, ollama:<model>, or script:<file.json>) about the labels with no state trace')
    .option('--db <file>', 'SQLite database (default: $PEERLAB_DB or ./peerlab.db)')
    .option('--json', 'print one JSON object per run')
    .option('--base-url <url>', 'endpoint for a remote judge (default: the provider\'s variable, e.g. $OPENAI_BASE_URL, else its default)')
    .option('--timeout <ms>', 'per-call timeout for a remote judge, in ms')
    .option('--api <api>', 'an openai: judge: chat (the default) or responses')
    .action(async (flags: ClassifyFlags) => {
      const [{ countedRunIds, judgeRun }, { createJudgeModel }, { classifyStoredRun }] = await Promise.all([
        import('../../analysis/index.js'), import('../../agents/index.js'), import('../../lab/index.js'),
      ]);
      // The judge is resolved before anything is read or written, so a bad spec changes nothing.
      const settings = endpointSettings(flags, env);
      const judge = flags.judge === undefined ? undefined : createJudgeModel(flags.judge, settings);
      // An endpoint may echo the key in an error message; it must not reach the database.
      const keys = KEY_VARIABLES.map((name) => env[name]).filter((key): key is string => Boolean(key));
      const scrub = (text: string) => keys.reduce((t, key) => t.split(key).join('[key]'), text);
      await withStore(dbPath(flags.db, env), async (store) => {
        if (flags.experiment !== undefined) findExperiment(store, flags.experiment);
        if (flags.experiment !== undefined && flags.run.length > 0) throw new UsageError('give --run or --experiment, not both');
        const ids = flags.experiment !== undefined ? countedRunIds(store, flags.experiment)
          : flags.run.length > 0 ? flags.run : store.runs().map((r) => r.runId);
        for (const id of ids) if (!store.run(id)) throw new UsageError(`no run ${id} in ${store.path} (list runs with: npx peerlab runs)`);
        const counts = { labelled: 0, skipped: 0, judged: 0, judgeErrors: 0 };
        for (const [i, runId] of ids.entries()) {
          const rules = classifyStoredRun(store, runId, systemWallClock.iso());
          counts[rules.status] += 1;
          let judged: string | undefined;
          if (judge && rules.status === 'labelled') {
            const verdict = await judgeRun(store.events(runId), judge, flags.judge!, systemWallClock.iso());
            if ('error' in verdict) {
              store.recordJudgeError({ ...verdict.error, error: scrub(verdict.error.error), raw: scrub(verdict.error.raw) });
              counts.judgeErrors += 1;
              judged = `judge error: ${scrub(verdict.error.error)}`;
            } else {
              store.replaceLabels(runId, 'judge', flags.judge!, verdict.labels);
              counts.judged += 1;
              judged = `judge: ${verdict.labels.filter((l) => l.value).map((l) => l.label).join(', ') || '-'}`;
            }
          }
          if (progress.isTTY) progress.write(`\r${i + 1}/${ids.length} runs`);
          out(flags.json
            ? JSON.stringify({ ...rules, ...(judged === undefined ? {} : { judge: judged }) })
            : wrapLine(oneLine(rules.status === 'labelled'
              ? `${runId}  rules: ${rules.positive.join(', ') || '-'}${judged ? `  ${judged}` : ''}`
              : `${runId}  skipped: ${rules.reason}`), TEXT_WIDTH).join('\n'));
        }
        if (progress.isTTY) progress.write('\r\u001b[K');
        if (!flags.json) {
          const judgeNote = judge ? `; judge ${flags.judge}: ${counts.judged} judged, ${counts.judgeErrors} errors` : '';
          out(`${counts.labelled} runs labelled, ${counts.skipped} skipped${judgeNote}`);
        }
      });
    });
}
