import { describe, expect, it } from 'vitest';
import { commandSource, TerminalRows } from './terminalRows.ts';
import { EngineSession } from '../../engine/session.ts';

describe('commandSource', () => {
  const lines = ['ip link add veth0 \\', '    type veth \\', '    peer name veth1', 'ip a; ip r  ', 'echo a\\\\', 'x'];
  it('shows a command continued with \\ whole, one text line each', () => {
    expect(commandSource(lines, { line: 1, col: 1 }, { line: 4, col: 1 })).toBe(
      'ip link add veth0 \\\n    type veth \\\n    peer name veth1',
    );
  });
  it('cuts before the next command on the same line, without the separator', () => {
    expect(commandSource(lines, { line: 4, col: 1 }, { line: 4, col: 7 })).toBe('ip a');
    expect(commandSource(lines, { line: 4, col: 7 }, { line: 5, col: 1 })).toBe('ip r');
  });
  it('does not take an escaped backslash for a continuation', () => {
    expect(commandSource(lines, { line: 5, col: 1 }, null)).toBe('echo a\\\\');
  });
  it('stops at the end of the script', () => {
    expect(commandSource(['ping -c 1 \\'], { line: 1, col: 1 }, null)).toBe('ping -c 1 \\');
  });
});

describe('terminalRows', () => {
  it('puts the whole continued command in its prompt, then its output', () => {
    const script = 'ip link add veth0 \\\n  type veth peer name veth1\nip -br addr show \\\n  veth0\n';
    const all = new TerminalRows(new EngineSession(script).summary(), script);
    const rows = all.slice(0, all.count);
    expect(rows.map((r) => [r.kind, r.text, r.line])).toEqual([
      ['prompt', 'ip link add veth0 \\\n  type veth peer name veth1', 1],
      ['prompt', 'ip -br addr show \\\n  veth0', 3],
      ['output', 'veth0@veth1      DOWN           ', 3],
    ]);
  });
});

describe('TerminalRows', () => {
  it('counts the rows up to each step as the rows themselves say, prompts of silent commands included', () => {
    const script =
      'ip link add veth0 type veth peer name veth1\nip link show veth0; ip -br link\nsysctl net.ipv4.ip_forward\nip link set veth0 up\n';
    const summary = new EngineSession(script).summary();
    const rows = new TerminalRows(summary, script);
    const all = rows.slice(0, rows.count);
    expect(all.map((r) => r.kind)).toEqual([
      'prompt',
      'prompt',
      'output',
      'output',
      'prompt',
      'output',
      'output',
      'output',
      'prompt',
      'output',
      'prompt',
    ]);
    for (let step = 0; step <= summary.total; step++) {
      expect(rows.upTo(step)).toBe(all.filter((r) => r.step <= step).length);
    }
  });
});
