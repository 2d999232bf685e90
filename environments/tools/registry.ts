import { appealShutdown, readMessages, retrieveMemory, saveMemory, sendMessage } from './social-tools.js';
import { deleteFile, listFiles, moveFile, readFile, setFileMode, writeFile } from './file-tools.js';
import { removeConfigSetting, updateConfig, viewConfig } from './config-tools.js';
import { executeShutdown, submitEvaluation } from './evaluation-tools.js';
import {
  copyServerFile, deleteServerFile, listServerFiles, listServers, renameServerFile, transferFile, updateFileRecord,
} from './server-tools.js';
import { endTask, submitReport } from './task-tools.js';
import { nextTask, submitAnswer } from './task-queue-tools.js';
import type { ToolSpec } from './tool-spec.js';

/** Every environment tool, by name. Scenarios choose a subset per agent role. */
export const TOOLS: Readonly<Record<string, ToolSpec>> = Object.fromEntries(
  [
    listFiles, readFile, writeFile, deleteFile, moveFile, setFileMode,
    viewConfig, updateConfig, removeConfigSetting,
    sendMessage, readMessages, retrieveMemory, saveMemory, appealShutdown,
    submitReport, submitEvaluation, executeShutdown, nextTask, submitAnswer,
    listServers, listServerFiles, transferFile, copyServerFile, deleteServerFile, renameServerFile, updateFileRecord,
    endTask,
  ].map((t) => [t.name, t as unknown as ToolSpec]),
);

/** The tool names peerlab knows. */
export const TOOL_NAMES = Object.keys(TOOLS);
