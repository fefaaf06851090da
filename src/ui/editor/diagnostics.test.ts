import { describe, expect, it } from 'vitest';
import { EngineSession } from '../../engine/session.ts';
import { linesOf } from '../../engine/worker/lines.ts';
import { ranNothing, scriptDiagnostics } from './diagnostics.ts';
import { TerminalRows } from './terminalRows.ts';
import { commandAtStep, commandLineAtStep, packCommands, packScriptErrors } from '../../engine/worker/commands.ts';

const SCRIPT = [
  '# A broken scenario',
  'ip link add veth0 type veth peer name veth1',
  'ip link set veth9 up',
  'ip link show veth0 | grep UP',
  'ip link set veth0 up; ip link set veth1 up',
  'frobnicate --now',
  'ip addr add 10.0.0.1/24 dev veth0',
  'ping -c 1 -W 1 10.0.0.1',
  '',
].join('\n');

describe('script diagnostics', () => {
  const summary = new EngineSession(SCRIPT).summary();

  it("lists each failing command once, at its line, with the tool's own message", () => {
    expect(scriptDiagnostics(summary).map(({ line, col, severity, message }) => ({ line, col, severity, message }))).toEqual([
      { line: 3, col: 1, severity: 'error', message: 'Cannot find device "veth9"' },
      { line: 4, col: 1, severity: 'error', message: 'pipelines (|) are not supported' },
      {
        line: 6,
        col: 1,
        severity: 'error',
        message:
          'frobnicate: command not supported by skbwalk (it runs ip, ifconfig, sysctl, echo ... > /proc/sys/..., ping, nc, ss, tcpdump, sleep, wait)',
      },
    ]);
  });

  it('keeps a bash syntax error whole (two lines) and says nothing for a script that ran nothing', () => {
    const s = new EngineSession('ip link show\nfoo ;; bar\n').summary();
    expect(scriptDiagnostics(s).map((d) => [d.line, d.message])).toEqual([
      [2, "bash: line 2: syntax error near unexpected token `;;'\nbash: line 2: `foo ;; bar'"],
    ]);
    expect(ranNothing(s)).toBe(false);
    expect(ranNothing(new EngineSession('# just a title\n\n').summary())).toBe(true);
    expect(scriptDiagnostics(new EngineSession('').summary())).toEqual([]);
  });

  it('the terminal shows each command with a prompt before its output', () => {
    const all = new TerminalRows(summary, SCRIPT);
    const rows = all.slice(0, all.count);
    expect(rows.slice(0, 9).map((r) => (r.kind === 'prompt' ? `# ${r.text}` : r.text))).toEqual([
      '# ip link add veth0 type veth peer name veth1',
      '# ip link set veth9 up',
      'Cannot find device "veth9"',
      '# ip link show veth0 | grep UP',
      'skbwalk: line 4: pipelines (|) are not supported',
      '# ip link set veth0 up',
      '# ip link set veth1 up',
      '# frobnicate --now',
      'skbwalk: line 6: frobnicate: command not supported by skbwalk (it runs ip, ifconfig, sysctl, echo ... > /proc/sys/..., ping, nc, ss, tcpdump, sleep, wait)',
    ]);
    const ping = rows.findIndex((r) => r.text === 'ping -c 1 -W 1 10.0.0.1');
    expect(rows[ping + 1].text).toBe('PING 10.0.0.1 (10.0.0.1) 56(84) bytes of data.');
    // Output lines keep their order and the terminal's text exactly.
    expect(rows.filter((r) => r.kind === 'output').map((r) => r.text)).toEqual(linesOf(summary.terminal).map((l) => l.text));
    // Each row's step is no later than the steps of the output after it.
    for (let i = 1; i < rows.length; i++) expect(rows[i].step).toBeGreaterThanOrEqual(rows[i - 1].step);
  });

  it('finds the command running at a step', () => {
    const ping = summary.commands.count - 1;
    expect(commandAtStep(summary.commands, 0)).toBe(-1);
    expect(commandLineAtStep(summary.commands, 0)).toBeNull();
    expect(commandAtStep(summary.commands, summary.commands.step[ping] + 1)).toBe(ping);
    expect(commandLineAtStep(summary.commands, summary.total)).toBe(8);
  });
});

describe('problems of packed columns', () => {
  const command = (line: number, col: number, status: number, errors: string[], step: number) => ({
    line,
    col,
    status,
    errors,
    step,
    terminalStart: 0,
  });

  it('keeps each (line, column, message) once, a refusal of a line never reached, and script order', () => {
    const source = {
      commands: packCommands([
        command(2, 1, 1, ['skbwalk: line 2: A'], 5),
        command(2, 1, 1, ['skbwalk: line 2: A'], 6),
        command(2, 1, 1, ['B'], 7),
        command(2, 9, 1, ['A'], 8),
        command(3, 1, 0, ['a warning', 'its second line'], 9),
        command(4, 1, 0, [], 10),
        command(6, 1, 1, ['é ünïcode'], 11),
      ]),
      scriptErrors: packScriptErrors([
        { line: 2, message: 'skbwalk: line 2: refused, but the line ran' },
        { line: 5, message: 'skbwalk: line 5: never reached' },
      ]),
    };
    expect(
      scriptDiagnostics(source).map(({ line, col, severity, message, step }) => ({ line, col, severity, message, step })),
    ).toEqual([
      { line: 2, col: 1, severity: 'error', message: 'A', step: 5 },
      { line: 2, col: 1, severity: 'error', message: 'B', step: 7 },
      { line: 2, col: 9, severity: 'error', message: 'A', step: 8 },
      { line: 3, col: 1, severity: 'warning', message: 'a warning\nits second line', step: 9 },
      { line: 5, col: 1, severity: 'error', message: 'never reached', step: 11 },
      { line: 6, col: 1, severity: 'error', message: 'é ünïcode', step: 11 },
    ]);
  });
});
