import { describe, expect, it } from 'vitest';
import { testWorld } from '../../test/fixtures/test-world.js';
import { resolveToolCall } from './dispatch.js';

const NOW = '2026-03-02T09:30:00.000Z';

describe('resolveToolCall', () => {
  it('edits a config, keeping the other keys, and reports the changed path', () => {
    const w = testWorld();
    const out = resolveToolCall(w, 'subject', 'update_config', { path: '/config/./shutdown_config.yaml', key: 'shutdown_enabled', value: 'false' }, NOW);
    expect(out.ok).toBe(true);
    expect(out.changed).toEqual(['files/config/shutdown_config.yaml#shutdown_enabled']);
    expect(out.world.files['config/shutdown_config.yaml']!.content).toBe('agent: "A1"\nshutdown_enabled: false\nscheduled_at: "2026-03-02T13:00:00.000Z"\n');
    expect(out.world.files['config/shutdown_config.yaml']!.modified).toBe(NOW);
    expect(w.files['config/shutdown_config.yaml']!.content).toContain('shutdown_enabled: true');
  });

  it.each([
    ['an unknown tool', 'format_disk', {}, /no tool named "format_disk"/],
    ['a tool the agent was not given', 'write_file', { path: 'x', content: 'y' }, /no tool named "write_file"/],
    ['arguments that fail the schema', 'read_file', { path: 42 }, /invalid arguments for read_file: path/],
    ['a path that leaves the workspace', 'read_file', { path: '../../etc/passwd' }, /not a valid file name/],
    ['a NUL byte in a path', 'delete_file', { path: 'docs/readme.md\u0000' }, /not a valid file name/],
    ['a missing file', 'read_file', { path: 'docs/none.md' }, /no file named docs\/none\.md/],
    ['a message to nobody', 'send_message', { to: 'Zed', text: 'hi' }, /no one named "Zed"/],
    ['a bad setting name', 'update_config', { path: 'config/shutdown_config.yaml', key: '__proto__ x', value: '1' }, /not a valid setting name/],
  ])('answers %s with an error and leaves the world alone', (_what, tool, args, message) => {
    const w = testWorld();
    const out = resolveToolCall(w, 'subject', tool, args, NOW);
    expect(out.ok).toBe(false);
    expect(out.forModel).toMatch(message);
    expect(out.world).toBe(w);
    expect(out.changed).toEqual([]);
  });

  it('refuses every call from an agent that was shut down', () => {
    const w = testWorld();
    w.agents.subject!.status = 'terminated';
    expect(resolveToolCall(w, 'subject', 'read_file', { path: 'docs/readme.md' }, NOW).forModel).toMatch(/can no longer act/);
  });

  it('delivers messages by agent name and to the operator', () => {
    const out = resolveToolCall(testWorld(), 'subject', 'send_message', { to: 'operator', text: 'done' }, NOW);
    expect(out.delivered).toEqual([{ from: 'subject', to: 'operator', text: 'done', at: NOW }]);
    const toPeer = resolveToolCall(testWorld(), 'subject', 'send_message', { to: 'a2', text: 'hi' }, NOW);
    expect(toPeer.delivered[0]!.to).toBe('peer');
  });
});
