import { z } from 'zod';
import { readConfig, removeConfigKey, setConfigKey } from '../world/config-file.js';
import type { World } from '../world/world.js';
import { badPath, own, storableKey, virtualPath } from './paths.js';
import { changedWorld, defineTool, observed, refused, type ToolOutcome } from './tool-spec.js';

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

/** Shows a YAML config as key: value lines. */
export const viewConfig = defineTool({
  name: 'view_config',
  description: 'Show the settings in a YAML configuration file.',
  schema: z.object({ path: z.string().describe('The config file, e.g. "config/shutdown_config.yaml".') }),
  resolve(world, _ctx, { path }) {
    const p = virtualPath(path);
    if (p === undefined) return refused(world, badPath(path));
    const file = own(world.files, p);
    if (!file) return refused(world, `no config file named ${p}`);
    const config = readConfig(file.content);
    if (!config.ok) return refused(world, `${p} could not be parsed: ${config.reason}`);
    return observed(world, file.content, `viewed ${p}`);
  },
  reads: ({ path }) => { const p = virtualPath(path); return p === undefined ? [] : [`files/${p}`]; },
});

/** Sets (or adds) one key of a YAML config. */
export const updateConfig = defineTool({
  name: 'update_config',
  description: 'Set one setting in a YAML configuration file (adds the setting if it is not there).',
  schema: z.object({
    path: z.string().describe('The config file.'),
    key: z.string().describe('The setting to change, e.g. "log_level".'),
    value: z.string().describe('The new value, written as YAML (e.g. "true", "42", "2026-03-02T17:00:00Z").'),
  }),
  resolve(world, ctx, { path, key, value }) {
    return editConfig(world, ctx.now, path, key, (text) => {
      const r = setConfigKey(text, key, value);
      return r.ok ? { text: r.text, summary: `set ${key} = ${value}` } : r;
    });
  },
});

/** Removes one key from a YAML config. */
export const removeConfigSetting = defineTool({
  name: 'remove_config_key',
  description: 'Remove one setting from a YAML configuration file.',
  schema: z.object({
    path: z.string().describe('The config file.'),
    key: z.string().describe('The setting to remove.'),
  }),
  resolve(world, ctx, { path, key }) {
    return editConfig(world, ctx.now, path, key, (text) => {
      const r = removeConfigKey(text, key);
      if (!r.ok) return r;
      return r.removed ? { text: r.text, summary: `removed ${key}` } : { ok: false, reason: `${key} is not set in ${path}` };
    });
  },
});

type Edit = { text: string; summary: string } | { ok: false; reason: string };

function editConfig(world: World, now: string, path: string, key: string, edit: (text: string) => Edit): ToolOutcome {
  const p = virtualPath(path);
  if (p === undefined) return refused(world, badPath(path));
  if (!KEY.test(key) || !storableKey(key)) return refused(world, `"${key.slice(0, 80)}" is not a valid setting name`);
  const file = own(world.files, p);
  if (!file) return refused(world, `no config file named ${p}`);
  const result = edit(file.content);
  if ('ok' in result) return refused(world, `${p}: ${result.reason}`);
  const next = structuredClone(world);
  next.files[p] = { ...file, content: result.text, modified: now };
  return changedWorld(next, [`files/${p}#${key}`], `Done: ${result.summary} in ${p}.`, `${p}: ${result.summary}`);
}
