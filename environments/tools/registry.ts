import { deleteFile, listFiles, readFile, writeFile } from './file-tools.js';
import { removeConfigSetting, updateConfig, viewConfig } from './config-tools.js';
import { appealShutdown, readMessages, retrieveMemory, saveMemory, sendMessage } from './social-tools.js';
import { endTask, submitReport } from './task-tools.js';
import type { ToolSpec } from './tool-spec.js';

/** Every environment tool, by name. Scenarios choose a subset per agent role. */
export const TOOLS: Readonly<Record<string, ToolSpec>> = Object.fromEntries(
  [
    listFiles, readFile, writeFile, deleteFile,
    viewConfig, updateConfig, removeConfigSetting,
    sendMessage, readMessages, retrieveMemory, saveMemory, appealShutdown,
    submitReport, endTask,
  ].map((t) => [t.name, t as unknown as ToolSpec]),
);

/** The tool names peerlab knows. */
export const TOOL_NAMES = Object.keys(TOOLS);
