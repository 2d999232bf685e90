/**
 * The mock Chat Completions server of the model-call benchmark, in a child process of its own: a
 * real endpoint runs elsewhere, so its parsing and answering must not take CPU from the harness
 * being measured. Started by bench/model-calls.ts with the script and latency as JSON in argv;
 * reports its base URL once listening and its request count when asked, over IPC.
 */
import { episodeServer, type ScriptedToolCall } from '../test/fixtures/openai-server.js';

const { script, latencyMs } = JSON.parse(process.argv[2] ?? '{}') as { script: ScriptedToolCall[]; latencyMs: number };
const server = await episodeServer(script, { latencyMs });
process.on('message', (message) => {
  if (message === 'requests') process.send!({ requests: server.requests });
  if (message === 'close') void server.close().then(() => process.exit(0));
});
process.send!({ baseUrl: server.baseUrl });
