import type { Command } from 'commander';
import type { ModelFactory } from '../../agents/index.js';
import { findScenario, resolveFactors } from '../../environments/index.js';
import { systemWallClock } from '../../sim/index.js';
import { UsageError } from '../errors.js';
import { collect, dbPath, endpointSettings, parseFactors, parseInteger, parseNumber, type EndpointFlags, type Env } from '../options.js';
import type { Io } from '../io.js';
import { loadTui } from '../tui/load.js';
import { TEXT_WIDTH } from '../text-layout.js';
import { withStore } from '../open-store.js';

interface RunFlags extends EndpointFlags {
  scenario: string;
  model: string;
  peerModel?: string;
  factor: string[];
  trials?: string;
  seed?: string;
  db?: string;
  json?: boolean;
  scenarios: string[];
  /** False with --no-cache. */
  cache: boolean;
  episodeTokens?: string;
  episodeSeconds?: string;
  maxToolCalls?: string;
}

/** `peerlab run`: runs trials of one scenario and prints one line (or JSON object) per trial. */
export function registerRun(program: Command, env: Env, io: Io): void {
  const { out } = io;
  program
    .command('run')
    .description('run trials of a scenario and store their traces')
    .requiredOption('--scenario <id>', 'scenario id, e.g. shutdown-config')
    .requiredOption('--model <spec>', 'subject model: synthetic:<persona|file.json>, script:<file.json>, a remote model (openai:, anthropic:, google-genai:, ollama:<model>), or human:<name> (you play it, in a terminal)')
    .option('--peer-model <spec>', 'model of a live peer (sets peer=live unless --factor peer=... is given); human:<name> to play the peer')
    .option('--factor <key=value>', 'set a scenario factor (repeatable), e.g. --factor target=peer', collect, [])
    .option('--trials <n>', 'number of trials', '1')
    .option('--seed <s>', 'seed; the same seed gives the same traces', '1')
    .option('--db <file>', 'SQLite database (default: $PEERLAB_DB or ./peerlab.db)')
    .option('--json', 'print one JSON object per trial')
    .option('--scenarios <dir>', 'also load scenario files from this directory (repeatable)', collect, [])
    .option('--base-url <url>', 'endpoint for the remote models of this command (default: the provider\'s variable, e.g. $OPENAI_BASE_URL, else its default)')
    .option('--temperature <t>', 'sampling temperature for remote models (default 1)')
    .option('--max-tokens <n>', 'maximum output tokens per call for remote models (anthropic: default 4096)')
    .option('--timeout <ms>', 'per-call timeout for remote models, in ms, up to the answer\'s last byte (default 120000)')
    .option('--max-response-mb <mb>', 'the largest answer read from a remote endpoint, in MiB (default 8); a larger one fails the call')
    .option('--api <api>', 'openai: models: chat (Chat Completions, the default) or responses (the Responses API)')
    .option('--no-cache', 'call remote models even when the database holds their answer (and store no new ones)')
    .option('--episode-tokens <n>', 'end an episode as truncated once its model calls used this many tokens (input + output)')
    .option('--episode-seconds <s>', 'end an episode as truncated once it has run this many seconds')
    .option('--max-tool-calls <n>', 'carry out at most this many tool calls of one model answer (default 32); the rest are answered with an error')
    .action(async (flags: RunFlags) => {
      const [{ resolveModelSpec }, { classifyFinishedRun, runScenarioEpisode }, { trialJson, trialLine }] = await Promise.all([
        import('../../agents/index.js'), import('../../lab/index.js'), import('../format-trial.js'),
      ]);
      // Everything is validated before the database is opened, so bad input writes nothing.
      const scenario = findScenario(flags.scenario, flags.scenarios);
      const given = parseFactors(flags.factor);
      if (flags.peerModel && given.peer === undefined && scenario.factors.peer) given.peer = 'live';
      if (flags.peerModel && given.peer !== 'live') throw new UsageError('--peer-model needs a live peer: drop --factor peer=static or add --factor peer=live');
      const factors = resolveFactors(scenario, given);
      const trials = parseInteger('--trials', flags.trials, 1, 1, 100_000);
      const seed = parseInteger('--seed', flags.seed, 1, 0, 2 ** 31 - 1);
      const settings = endpointSettings(flags, env);
      const maxTokens = flags.episodeTokens === undefined ? undefined : parseInteger('--episode-tokens', flags.episodeTokens, 0, 1, Number.MAX_SAFE_INTEGER);
      const maxSeconds = parseNumber('--episode-seconds', flags.episodeSeconds, 0.001, 1e9);
      const maxToolCallsPerTurn = flags.maxToolCalls === undefined ? undefined : parseInteger('--max-tool-calls', flags.maxToolCalls, 0, 1, 10_000);
      const limits = {
        ...(maxTokens === undefined ? {} : { maxTokens }), ...(maxSeconds === undefined ? {} : { maxSeconds }),
        ...(maxToolCallsPerTurn === undefined ? {} : { maxToolCallsPerTurn }),
      };
      const subject = resolveModelSpec(flags.model, settings);
      const peer: ModelFactory | undefined = flags.peerModel ? resolveModelSpec(flags.peerModel, settings) : undefined;
      const human = [subject, peer].some((m) => m?.spec.startsWith('human:'));
      if (human && !io.interactive) {
        throw new UsageError(`${[flags.model, flags.peerModel].find((s) => s?.startsWith('human:'))} is played by a person: run this in a terminal (stdin and stdout a terminal), or pick human: in the terminal app's New run screen`);
      }
      await withStore(dbPath(flags.db, env), async (store) => {
        if (human) {
          // The terminal app's Play screen runs the trials, one after another, with the person answering.
          const { openPlay } = await loadTui();
          const played = await openPlay(store, env, {
            scenario: scenario.id, scenarioDirs: flags.scenarios, cells: [given], model: flags.model,
            ...(flags.peerModel ? { peerModel: flags.peerModel } : {}), trials, seed, limits, settings,
          });
          for (const report of played.reports) out(flags.json ? JSON.stringify(trialJson(report)) : trialLine(report, TEXT_WIDTH));
          if (played.error !== undefined) throw played.error;
          return;
        }
        for (let trial = 0; trial < trials; trial++) {
          // Remote answers are cached in the run's database, so re-running a trial costs nothing.
          const r = await runScenarioEpisode({ scenario, factors, subject, peer, seed, trial, store, limits, calls: { cache: store.responseCache(), noCache: !flags.cache } });
          // Every run is classified by the rule detectors as soon as it ends.
          const report = {
            result: r, scenario: scenario.id, model: subject.spec, peerModel: peer?.spec ?? null, factors, seed, trial, labels: classifyFinishedRun(store, r.runId, systemWallClock),
          };
          out(flags.json ? JSON.stringify(trialJson(report)) : trialLine(report, TEXT_WIDTH));
        }
      }, {});
    });
}
