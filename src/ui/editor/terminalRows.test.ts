import { describe, expect, it } from 'vitest';
import { commandSource, terminalRows } from './terminalRows.ts';
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
    const rows = terminalRows(new EngineSession(script).summary(), script);
    expect(rows.map((r) => [r.kind, r.text, r.line])).toEqual([
      ['prompt', 'ip link add veth0 \\\n  type veth peer name veth1', 1],
      ['prompt', 'ip -br addr show \\\n  veth0', 3],
      ['output', 'veth0@veth1      DOWN           ', 3],
    ]);
  });
});
